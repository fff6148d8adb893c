package io.wharf.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** One health check of an endpoint: a TCP connect, or an HTTP GET of a path answered with 2xx or 3xx. */
final class HealthCheck {
    private HealthCheck() {}

    static boolean check(String ip, int port, String path, int timeoutMillis) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port), timeoutMillis);
            if (path.isEmpty()) {
                return true;
            }
            s.setSoTimeout(timeoutMillis);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + ip + ":" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(12);
            String status = new String(head, StandardCharsets.US_ASCII);
            return status.startsWith("HTTP/1.") && (status.charAt(9) == '2' || status.charAt(9) == '3');
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
