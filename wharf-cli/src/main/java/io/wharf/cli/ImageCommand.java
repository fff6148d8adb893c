package io.wharf.cli;

import io.wharf.agent.runtime.docker.DockerEngine;
import io.wharf.core.cluster.DockerArchive;
import io.wharf.core.cluster.ImageRecord;
import io.wharf.core.spec.ImageRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf image push}: store an application package as {@code name:version}. */
@Command(
        name = "image",
        mixinStandardHelpOptions = true,
        description = "Manage images.",
        subcommands = ImageCommand.Push.class)
final class ImageCommand {
    @Command(
            name = "push",
            mixinStandardHelpOptions = true,
            description = {
                "Push an image as NAME:VERSION: an application package for the process runtime (a .jar, a .tar.gz,"
                        + " or a directory, which is packed), or a Docker image for the Docker runtime (--docker IMAGE"
                        + " from the local engine, --docker-archive FILE from docker save, or PATH docker://NAME:TAG"
                        + " for an image already on every Docker host)."
            })
    static final class Push implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "NAME:VERSION")
        String image;

        @Parameters(index = "1", arity = "0..1", paramLabel = "PATH")
        String path;

        @Option(
                names = "--cmd",
                paramLabel = "COMMAND",
                description = "Start command, run by sh in the container's directory (default for a .jar: java -jar"
                        + " FILE; for a Docker image: the image's own).")
        String cmd;

        @Option(
                names = "--docker",
                paramLabel = "IMAGE",
                description = "Push this image of the local Docker Engine (as docker save writes it); agents load it"
                        + " once per host.")
        String docker;

        @Option(
                names = "--docker-archive",
                paramLabel = "FILE",
                description = "Push this archive, written by docker save, of one Docker image.")
        Path dockerArchive;

        @Option(
                names = "--docker-host",
                paramLabel = "URL",
                description = "With --docker: the engine's address (default: $DOCKER_HOST, then"
                        + " unix:///var/run/docker.sock).")
        String dockerHost;

        @Override
        public Integer call() throws Exception {
            ImageRef ref = ImageRef.parse("image", image);
            int sources = (path != null ? 1 : 0) + (docker != null ? 1 : 0) + (dockerArchive != null ? 1 : 0);
            if (sources != 1) {
                throw new IllegalArgumentException(
                        "give exactly one of PATH, --docker IMAGE and --docker-archive FILE");
            }
            if (dockerHost != null && docker == null) {
                throw new IllegalArgumentException("--docker-host is for --docker IMAGE");
            }
            Path upload;
            String filename;
            List<Path> temporary = new ArrayList<>();
            try {
                if (docker != null) {
                    upload = Files.createTempFile("wharf-image-", DockerArchive.SUFFIX);
                    temporary.add(upload);
                    DockerEngine.save(DockerEngine.connect(Optional.ofNullable(dockerHost)), docker, upload);
                    filename = ref.name() + DockerArchive.SUFFIX;
                } else if (dockerArchive != null) {
                    if (!Files.isRegularFile(dockerArchive)) {
                        throw new IllegalArgumentException("--docker-archive " + dockerArchive + ": no such file");
                    }
                    try {
                        DockerArchive.read(dockerArchive);
                    } catch (DockerArchive.NotAnImageException e) {
                        throw new IllegalArgumentException("--docker-archive " + dockerArchive
                                + ": not a Docker image archive: " + e.getMessage());
                    }
                    upload = dockerArchive;
                    filename = ref.name() + DockerArchive.SUFFIX;
                } else if (path.startsWith(DOCKER_SCHEME)) {
                    upload = Files.createTempFile("wharf-image-", ".docker-ref");
                    temporary.add(upload);
                    Files.writeString(upload, path.substring(DOCKER_SCHEME.length()) + "\n");
                    filename = ref.name() + ImageRecord.Kind.DOCKER_REFERENCE.suffix();
                } else {
                    Path local = Path.of(path);
                    if (!Files.exists(local)) {
                        throw new IllegalArgumentException("no such file or directory: " + local);
                    }
                    upload = Files.isDirectory(local) ? pack(local) : local;
                    filename = Files.isDirectory(local)
                            ? local.toAbsolutePath().normalize().getFileName() + ".tar.gz"
                            : local.getFileName().toString();
                }
                var pushed = client.client()
                        .cluster()
                        .pushImage(ref.name(), ref.version(), filename, Optional.ofNullable(cmd), upload);
                System.out.println("image " + pushed.image() + " pushed: sha256 " + pushed.sha256() + ", "
                        + pushed.sizeBytes() + " bytes, cmd "
                        + (pushed.cmd().isEmpty() ? "the image's own" : "\"" + pushed.cmd() + "\""));
                return 0;
            } finally {
                for (Path t : temporary) Files.deleteIfExists(t);
            }
        }

        private static final String DOCKER_SCHEME = "docker://";

        private static Path pack(Path dir) throws IOException, InterruptedException {
            Path tgz = Files.createTempFile("wharf-image-", ".tar.gz");
            tgz.toFile().deleteOnExit();
            Process tar = new ProcessBuilder("tar", "-czf", tgz.toString(), "-C", dir.toString(), ".")
                    .inheritIO()
                    .start();
            if (!tar.waitFor(300, TimeUnit.SECONDS) || tar.exitValue() != 0) {
                throw new IOException("packing " + dir + " with tar failed");
            }
            return tgz;
        }
    }
}
