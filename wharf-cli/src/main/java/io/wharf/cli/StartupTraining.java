package io.wharf.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A training run for the command line's start-up cache: {@code bin/wharf} runs it once per build with the
 * JVM recording what it loads (a class-data-sharing archive, or on JDK 25+ an ahead-of-time cache), so that
 * every client command after it starts from that record. It answers a few typical commands from a server of
 * its own on a free loopback port, so the record holds the whole path of a call: parsing the command line,
 * the HTTP call, reading the answer, printing the table.
 */
final class StartupTraining {
    private static final String ENDPOINTS = "{\"namespace\":\"default\",\"service\":\"demo\",\"revision\":2,"
            + "\"endpoints\":[{\"id\":\"127.0.1.2_8080\",\"ip\":\"127.0.1.2\",\"port\":8080,\"state\":\"UP\","
            + "\"weight\":1,\"version\":\"v1\",\"metadata\":{\"container\":\"default.demo.0\",\"host\":\"local\"},"
            + "\"registeredBy\":\"AGENT\",\"lease\":\"l-1\",\"revision\":2}]}";

    private StartupTraining() {}

    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = ENDPOINTS.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        PrintStream out = System.out;
        try {
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            Main.run("get", "endpoints", "demo", "--server", url, "--token", "training");
            Main.run("get", "endpoints", "demo", "--server", url, "--token", "training", "-o", "json");
            Main.run("--version");
        } finally {
            System.setOut(out);
            server.stop(0);
        }
    }
}
