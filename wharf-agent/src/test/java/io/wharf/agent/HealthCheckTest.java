package io.wharf.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HealthCheckTest {
    @Test
    @DisplayName("a port nobody listens on is 'not listening' (a process still starting), not a failed check;"
            + " a wrong answer is a failed one")
    void tellsStartingFromFailing() throws Exception {
        int free;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = s.getLocalPort();
        }
        assertThat(HealthCheck.check("127.0.0.1", free, "/health", 500)).isEqualTo(HealthCheck.Result.NOT_LISTENING);
        assertThat(HealthCheck.check("127.0.0.1", free, "", 500)).isEqualTo(HealthCheck.Result.NOT_LISTENING);

        try (ServerSocket s = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread server =
                    Thread.ofVirtual().start(() -> answer(s, "HTTP/1.1 503 Service Unavailable", "HTTP/1.1 200 OK"));
            assertThat(HealthCheck.check("127.0.0.1", s.getLocalPort(), "/health", 2000))
                    .isEqualTo(HealthCheck.Result.FAILED);
            assertThat(HealthCheck.check("127.0.0.1", s.getLocalPort(), "/health", 2000))
                    .isEqualTo(HealthCheck.Result.PASSED);
            server.join();
        }
    }

    private static void answer(ServerSocket s, String... statuses) {
        for (String status : statuses) {
            try (Socket c = s.accept()) {
                c.getInputStream().read(new byte[1024]);
                c.getOutputStream()
                        .write((status + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                return;
            }
        }
    }
}
