package io.wharf.server.cluster;

import io.wharf.core.InvalidInputException;
import io.wharf.core.NotFoundException;
import io.wharf.core.cluster.DockerArchive;
import io.wharf.core.cluster.ImageRecord;
import io.wharf.core.spec.ImageRef;
import io.wharf.server.artifact.ArtifactStore;
import io.wharf.store.ClusterStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Images: {@code name:version} → a package in the artifact store (an application or a Docker image) and its start command. */
public final class Images {
    /** The largest package accepted. */
    public static final long MAX_PACKAGE_BYTES = 512L << 20;

    private final ClusterStore store;
    private final ArtifactStore artifacts;
    private final Clock clock;

    public Images(ClusterStore store, ArtifactStore artifacts, Clock clock) {
        this.store = store;
        this.artifacts = artifacts;
        this.clock = clock;
    }

    /**
     * Stores a package as {@code ref}. A {@code .jar} starts with {@code java -jar FILE} unless told
     * otherwise; a {@code .tar.gz} (unpacked into the container's directory) needs its command. A Docker image
     * ({@code .docker.tar}, checked to be a {@code docker save} archive of one image, or {@code .docker-ref},
     * the name of an image on the hosts) runs its own command unless given one.
     */
    public ImageRecord push(ImageRef ref, String filename, Optional<String> cmd, InputStream body) throws IOException {
        Optional<ImageRecord.Kind> kind = Optional.of(filename)
                .filter(f -> f.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,200}"))
                .flatMap(ImageRecord.Kind::of);
        if (kind.isEmpty()) {
            throw InvalidInputException.of(
                    "filename",
                    "'" + filename + "' (expected: a plain file name ending in .jar, .tar.gz, " + DockerArchive.SUFFIX
                            + " or .docker-ref)");
        }
        String command = cmd.filter(c -> !c.isBlank()).orElseGet(() -> switch (kind.get()) {
            case JAR -> "java -jar " + filename;
            case TAR_GZ ->
                throw InvalidInputException.of("cmd", "missing (expected: the start command of a .tar.gz package)");
            case DOCKER_ARCHIVE, DOCKER_REFERENCE -> "";
        });
        if (command.length() > 1024) {
            throw InvalidInputException.of("cmd", "length " + command.length() + " (expected: at most 1024)");
        }
        ArtifactStore.Stored stored;
        try {
            stored = artifacts.put(body, MAX_PACKAGE_BYTES, file -> check(kind.get(), file));
        } catch (ArtifactStore.TooLargeException e) {
            throw InvalidInputException.of("body", e.getMessage());
        }
        if (stored.sizeBytes() == 0) {
            throw InvalidInputException.of("body", "empty (expected: the package's bytes)");
        }
        ImageRecord image =
                new ImageRecord(ref, stored.digest(), stored.sizeBytes(), filename, command, clock.instant());
        store.putImage(image);
        return store.image(ref).orElse(image);
    }

    /** Refuses a Docker package that is not what its name says; nothing is kept then. */
    private static void check(ImageRecord.Kind kind, Path file) throws IOException {
        switch (kind) {
            case DOCKER_ARCHIVE -> {
                try {
                    DockerArchive.read(file);
                } catch (DockerArchive.NotAnImageException e) {
                    throw InvalidInputException.of("body", "not a Docker image archive: " + e.getMessage());
                }
            }
            case DOCKER_REFERENCE -> {
                String name = Files.size(file) > MAX_REFERENCE
                        ? ""
                        : Files.readString(file).trim();
                if (!DOCKER_NAME.matcher(name).matches()) {
                    throw InvalidInputException.of(
                            "body",
                            "not the name of a Docker image (expected: e.g. busybox:1.36 or"
                                    + " registry.example/team/app@sha256:HEX, at most " + MAX_REFERENCE + " bytes)");
                }
            }
            case JAR, TAR_GZ -> {}
        }
    }

    private static final int MAX_REFERENCE = 512;

    /** A Docker image reference: repository path, then a tag and/or a digest. */
    private static final Pattern DOCKER_NAME =
            Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
                    + "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[0-9a-f]{64})?");

    public List<ImageRecord> list() {
        return store.images();
    }

    public ImageRecord get(ImageRef ref) {
        return store.image(ref).orElseThrow(() -> new NotFoundException("image", ref.toString()));
    }

    public Optional<ImageRecord> find(ImageRef ref) {
        return store.image(ref);
    }

    /** The package of an image, on disk. */
    public Path packagePath(ImageRef ref) {
        ImageRecord image = get(ref);
        return artifacts.path(image.digest()).orElseThrow(() -> new NotFoundException("package", image.digest()));
    }
}
