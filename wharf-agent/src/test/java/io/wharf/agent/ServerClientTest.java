package io.wharf.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerClientTest {
    static final byte[] PACKAGE = "the package".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    HttpServer server;
    ServerClient client;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/images/app/v1/package", ex -> {
            ex.sendResponseHeaders(200, PACKAGE.length);
            ex.getResponseBody().write(PACKAGE);
            ex.close();
        });
        server.start();
        client = new ServerClient("http://127.0.0.1:" + server.getAddress().getPort(), "wj-test");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    @DisplayName("a downloaded package is kept only if its sha256 is the image's")
    void verifiesTheChecksum() throws Exception {
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(PACKAGE));
        Path good = dir.resolve("images").resolve(sha);
        client.download("app", "v1", sha, good);
        assertThat(Files.readAllBytes(good)).isEqualTo(PACKAGE);

        Path bad = dir.resolve("images").resolve("0".repeat(64));
        assertThatThrownBy(() -> client.download("app", "v1", "0".repeat(64), bad))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("expected " + "0".repeat(64));
        assertThat(bad).doesNotExist();
        try (var left = Files.list(dir.resolve("images"))) {
            assertThat(left).containsExactly(good);
        }
    }
}
