package io.wharf.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small HTTP service. Its environment:
 *
 * <ul>
 *   <li>{@code WHARF_IP}, {@code PORT}: where to listen (default 127.0.0.1:8080);
 *   <li>{@code WHARF_SERVICE}, {@code WHARF_VERSION}, {@code WHARF_CONTAINER}: what it reports as service,
 *       version and instance;
 *   <li>{@code DEMO_START_DELAY_MS}: wait this long before listening;
 *   <li>{@code DEMO_WORK_MS}: burn this much CPU per request to {@code /};
 *   <li>{@code DEMO_LATENCY_MS}: sleep this long per request to {@code /};
 *   <li>{@code DEMO_FAIL_HEALTH=true}: answer {@code /health} with 503.
 * </ul>
 */
public final class DemoService {
    private DemoService() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        String ip = env.getOrDefault("WHARF_IP", "127.0.0.1");
        int port = Integer.parseInt(env.getOrDefault("PORT", "8080"));
        String service = env.getOrDefault("WHARF_SERVICE", "demo");
        String version = env.getOrDefault("WHARF_VERSION", "dev");
        String instance = env.getOrDefault("WHARF_CONTAINER", ip + "_" + port);
        long startDelay = Long.parseLong(env.getOrDefault("DEMO_START_DELAY_MS", "0"));
        long workMillis = Long.parseLong(env.getOrDefault("DEMO_WORK_MS", "0"));
        long latencyMillis = Long.parseLong(env.getOrDefault("DEMO_LATENCY_MS", "0"));
        boolean failHealth = Boolean.parseBoolean(env.getOrDefault("DEMO_FAIL_HEALTH", "false"));

        if (startDelay > 0) {
            Thread.sleep(startDelay);
        }
        AtomicLong served = new AtomicLong();
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        HttpServer server = HttpServer.create(new InetSocketAddress(ip, port), 1024);
        server.setExecutor(executor);
        server.createContext(
                "/health",
                ex -> respond(ex, failHealth ? 503 : 200, "{\"status\":\"" + (failHealth ? "failing" : "ok") + "\"}"));
        server.createContext("/", ex -> {
            if (workMillis > 0) burn(workMillis);
            if (latencyMillis > 0) sleep(latencyMillis);
            respond(
                    ex,
                    200,
                    "{\"service\":\"" + service + "\",\"version\":\"" + version + "\",\"instance\":\"" + instance
                            + "\",\"served\":" + served.incrementAndGet() + "}");
        });
        server.start();
        System.out.println("demo version=" + version + " instance=" + instance + " listening on " + ip + ":" + port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("demo stopping after " + served.get() + " requests");
            server.stop(1);
            executor.shutdown();
        }));
    }

    private static void respond(HttpExchange ex, int status, String json) throws IOException {
        byte[] body = (json + "\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static void burn(long millis) {
        long until = System.nanoTime() + millis * 1_000_000;
        long x = 0;
        while (System.nanoTime() < until) {
            x += Long.numberOfTrailingZeros(x + 1);
        }
        if (x == 42) System.out.print("");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
