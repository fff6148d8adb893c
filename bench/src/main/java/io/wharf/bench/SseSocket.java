package io.wharf.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A bare server-sent-events connection over a blocking socket: one virtual thread reads each. */
final class SseSocket implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;

    SseSocket(String host, int port, String path, String token) throws IOException {
        socket = new Socket(host, port);
        socket.setTcpNoDelay(true);
        socket.getOutputStream()
                .write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: text/event-stream\r\n"
                                + "Authorization: Bearer " + token + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8), 16 * 1024);
        String status = in.readLine();
        if (status == null || !status.contains(" 200 ")) {
            throw new IOException("stream refused: " + status);
        }
        String line;
        while ((line = in.readLine()) != null && !line.isEmpty()) {
            // headers
        }
    }

    /** The next line of the (chunked) body, or null at the end. Chunk-size lines are passed through too. */
    String readLine() throws IOException {
        return in.readLine();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
