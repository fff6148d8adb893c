package io.wharf.cli;

import io.wharf.core.spec.ImageRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
            description = "Push a package (a .jar, a .tar.gz, or a directory, which is packed) as NAME:VERSION.")
    static final class Push implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "NAME:VERSION")
        String image;

        @Parameters(index = "1", paramLabel = "PATH")
        Path path;

        @Option(
                names = "--cmd",
                paramLabel = "COMMAND",
                description =
                        "Start command, run by sh in the container's directory (default for a .jar: java -jar FILE).")
        String cmd;

        @Override
        public Integer call() throws Exception {
            ImageRef ref = ImageRef.parse("image", image);
            if (!Files.exists(path)) {
                throw new IllegalArgumentException("no such file or directory: " + path);
            }
            Path upload = Files.isDirectory(path) ? pack(path) : path;
            String filename = Files.isDirectory(path)
                    ? path.toAbsolutePath().normalize().getFileName() + ".tar.gz"
                    : path.getFileName().toString();
            var pushed = client.client()
                    .cluster()
                    .pushImage(ref.name(), ref.version(), filename, Optional.ofNullable(cmd), upload);
            System.out.println("image " + pushed.image() + " pushed: sha256 " + pushed.sha256() + ", "
                    + pushed.sizeBytes() + " bytes, cmd \"" + pushed.cmd() + "\"");
            return 0;
        }

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
