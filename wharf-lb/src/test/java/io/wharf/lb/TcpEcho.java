package io.wharf.lb;

import io.wharf.core.registry.EndpointId;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A TCP endpoint on {@code IP:9000} that answers each connection with its id and a newline, then echoes. */
final class TcpEcho implements AutoCloseable {
    private final EndpointId id;
    private final ServerSocket server;

    private TcpEcho(EndpointId id, ServerSocket server) {
        this.id = id;
        this.server = server;
    }

    static TcpEcho start(String ip) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(ip, 9000));
        TcpEcho echo = new TcpEcho(new EndpointId(ip, 9000), server);
        Thread.ofVirtual().start(echo::serve);
        return echo;
    }

    EndpointId id() {
        return id;
    }

    private void serve() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> {
                    try (s) {
                        InputStream in = s.getInputStream();
                        OutputStream out = s.getOutputStream();
                        byte[] buf = new byte[65536];
                        int n;
                        out.write((id + "\n").getBytes(StandardCharsets.UTF_8));
                        while ((n = in.read(buf)) > 0) out.write(buf, 0, n);
                    } catch (IOException e) {
                        // client gone
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
    }

    /** The first line a connection reads: the id of the endpoint it reached. */
    static String firstLine(Socket s) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = s.getInputStream().read()) > 0 && c != '\n') b.append((char) c);
        return b.toString();
    }

    /** A connection to {@code ip:port}, reads timing out after 5 s. */
    static Socket connect(String ip, int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(ip, port), 2000);
        s.setSoTimeout(5000);
        return s;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
