package io.wharf.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import io.wharf.agent.runtime.ContainerSpec;
import io.wharf.agent.runtime.Packages;
import io.wharf.core.cluster.DockerArchive;
import io.wharf.core.cluster.ImageRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The images a Docker runtime's containers run, on its engine: archives fetched from the server and loaded once
 * (tagged {@code wharf/NAME:VERSION}), or images named by reference that must be there already. What it learns
 * of an image (that the engine has it, its working directory) it remembers, so that a start asks the engine
 * nothing about an image it has seen.
 */
final class DockerImages {
    private static final Logger log = LoggerFactory.getLogger(DockerImages.class);

    private final DockerClient docker;
    private final Packages packages;
    /** The engine's image id of each archive, by the package's sha256. */
    private final Map<String, String> archiveIds = new ConcurrentHashMap<>();
    /** The images known to be on the engine, with their working directories. */
    private final Map<String, String> workDirs = new ConcurrentHashMap<>();
    /** One load at a time per image. */
    private final Map<String, Object> loading = new ConcurrentHashMap<>();

    DockerImages(DockerClient docker, Packages packages) {
        this.docker = docker;
        this.packages = packages;
    }

    /**
     * The engine's id of the image a spec runs: a {@code docker save} archive is loaded the first time (one load
     * at a time per image), a named image must be on the host already.
     */
    String idOf(ContainerSpec spec) throws IOException {
        ImageRecord.Kind kind = ImageRecord.Kind.of(spec.filename())
                .orElseThrow(() -> new IOException(
                        "image " + spec.image() + " has a package of no known kind (" + spec.filename() + ")"));
        if (!kind.docker()) {
            throw new IOException("image " + spec.image() + " is an application package (" + spec.filename()
                    + ") for the process runtime, and this agent runs Docker; push a Docker image instead:"
                    + " wharf image push " + spec.image() + " --docker IMAGE");
        }
        Path pkg = packages.get(spec.image(), spec.sha256());
        if (kind == ImageRecord.Kind.DOCKER_REFERENCE) {
            String ref = Files.readString(pkg).trim();
            try {
                var image = docker.inspectImageCmd(ref).exec();
                workDirs.put(image.getId(), workDirOf(image));
                return image.getId();
            } catch (NotFoundException e) {
                throw new IOException("image " + spec.image() + " names the Docker image " + ref
                        + ", which is not on this host (an image named so must be put on every host beforehand;"
                        + " or push it with: wharf image push " + spec.image() + " --docker " + ref + ")");
            }
        }
        // read once per package: docker save puts the manifest at the end of the archive
        String imageId = archiveIds.containsKey(spec.sha256())
                ? archiveIds.get(spec.sha256())
                : DockerArchive.read(pkg).imageId();
        archiveIds.put(spec.sha256(), imageId);
        if (workDirs.containsKey(imageId)) return imageId; // loaded and looked at before
        synchronized (loading.computeIfAbsent(imageId, k -> new Object())) {
            if (!present(imageId)) {
                long t0 = System.nanoTime();
                try (InputStream in = Files.newInputStream(pkg)) {
                    docker.loadImageCmd(in).exec();
                } catch (RuntimeException e) {
                    throw new IOException("docker could not load " + spec.image() + ": " + DockerRuntime.message(e), e);
                }
                if (!present(imageId)) {
                    throw new IOException(
                            "docker loaded the archive of " + spec.image() + " but has no image " + imageId);
                }
                String[] ref = spec.image().split(":", 2);
                docker.tagImageCmd(imageId, "wharf/" + ref[0], ref[1]).exec();
                log.info(
                        "image loaded image={} docker={} in {} ms",
                        spec.image(),
                        imageId,
                        (System.nanoTime() - t0) / 1_000_000);
            }
        }
        return imageId;
    }

    /** Whether the engine has the image; if so, its working directory is known from then on. */
    private boolean present(String imageId) {
        try {
            workDirs.put(imageId, workDirOf(docker.inspectImageCmd(imageId).exec()));
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static String workDirOf(InspectImageResponse image) {
        String dir = image.getConfig() == null ? null : image.getConfig().getWorkingDir();
        return dir == null || dir.isBlank() ? "" : dir.replaceAll("/+$", "");
    }

    /** The working directory of an image, "" for the root. */
    String workingDir(String imageId) {
        String known = workDirs.get(imageId);
        return known != null ? known : workDirOf(docker.inspectImageCmd(imageId).exec());
    }

    /** The engine no longer has the image (it was removed behind the agent's back): look again next time. */
    void forget(String imageId) {
        workDirs.remove(imageId);
    }
}
