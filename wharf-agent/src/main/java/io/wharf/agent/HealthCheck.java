package io.wharf.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** One health check of an endpoint: a TCP connect, or an HTTP GET of a path answered with 2xx or 3xx. */
final class HealthCheck {
    private HealthCheck() {}

    /** What a check found. */
    enum Result {
        PASSED,
        /** It answered wrongly, or not in time. */
        FAILED,
        /** Nothing listens on the port yet: the connection was refused. */
        NOT_LISTENING
    }

    static Result check(String ip, int port, String path, int timeoutMillis) {
        try (Socket s = new Socket()) {
            try {
                s.connect(new InetSocketAddress(ip, port), timeoutMillis);
            } catch (ConnectException refused) {
                return Result.NOT_LISTENING;
            }
            if (path.isEmpty()) {
                return Result.PASSED;
            }
            s.setSoTimeout(timeoutMillis);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + ip + ":" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(12);
            String status = new String(head, StandardCharsets.US_ASCII);
            boolean ok = status.startsWith("HTTP/1.") && (status.charAt(9) == '2' || status.charAt(9) == '3');
            return ok ? Result.PASSED : Result.FAILED;
        } catch (IOException | RuntimeException e) {
            return Result.FAILED;
        }
    }
}
