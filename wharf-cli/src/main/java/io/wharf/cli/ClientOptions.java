package io.wharf.cli;

import io.wharf.client.WharfClient;
import io.wharf.server.AdminToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where the server is and how to prove the right to change it: shared by every client verb. */
final class ClientOptions {
    @Option(
            names = "--server",
            paramLabel = "URL",
            description = "The server's API (default: $WHARF_SERVER or http://127.0.0.1:7420).")
    String server;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            description =
                    "The admin token, for changes (default: $WHARF_TOKEN, else the data directory's admin.token).")
    String token;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description = "The data directory to read admin.token from (default: .wharf).")
    Path data;

    WharfClient client() {
        String url = Optional.ofNullable(server)
                .or(() -> Optional.ofNullable(System.getenv("WHARF_SERVER")))
                .orElse("http://127.0.0.1:7420");
        return WharfClient.builder(url)
                .token(token())
                .connectTimeout(Duration.ofSeconds(5))
                .shortLived()
                .build();
    }

    private Optional<String> token() {
        if (token != null) return Optional.of(token);
        String env = System.getenv("WHARF_TOKEN");
        if (env != null && !env.isBlank()) return Optional.of(env.trim());
        Path file = (data == null ? Path.of(".wharf") : data).resolve(AdminToken.FILE);
        try {
            return Files.isReadable(file)
                    ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
