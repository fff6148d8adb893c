package io.wharf.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
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
 *   <li>{@code DEMO_FAIL_HEALTH=true}: answer {@code /health} with 503;
 *   <li>{@code DEMO_STOCK}: the items {@code /sale} sells (default 100).
 * </ul>
 *
 * <p>{@code POST /sale} sells one item to each request, in the order they come, while there are any:
 * {@code {"won":true|false,"left":N,"request":ID,"sentAt":MICROS}} (the last two from a fair intake's
 * {@code Wharf-Request-Id} and {@code Wharf-Sent-At}); a request id it has seen gets its first answer again.
 * {@code GET /sale/sold}: {@code {"requests":N,"won":N,"again":N}}.
 *
 * <p>{@code GET /work?cpuMs=N&sleepMs=M} makes load an autoscaler can see: it uses N ms of CPU time (of the
 * thread that serves it, so a busy host stretches it in wall time but not in CPU) and then sleeps M ms.
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
        ExecutorService burners = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "demo-work");
            t.setDaemon(true);
            return t;
        });
        server.createContext("/work", ex -> {
            Map<String, Long> q;
            try {
                q = query(ex.getRequestURI().getRawQuery(), Map.of("cpuMs", 10_000L, "sleepMs", 60_000L));
            } catch (IllegalArgumentException e) {
                respond(ex, 400, "{\"error\":\"" + e.getMessage() + "\"}");
                return;
            }
            long cpu = q.getOrDefault("cpuMs", 0L);
            if (cpu > 0) {
                try {
                    burners.submit(() -> burnCpu(cpu)).get();
                } catch (Exception e) {
                    respond(ex, 500, "{\"error\":\"interrupted\"}");
                    return;
                }
            }
            sleep(q.getOrDefault("sleepMs", 0L));
            respond(
                    ex,
                    200,
                    "{\"service\":\"" + service + "\",\"version\":\"" + version + "\",\"instance\":\"" + instance
                            + "\",\"cpuMs\":" + cpu + ",\"served\":" + served.incrementAndGet() + "}");
        });
        // a flash sale (claim 002): DEMO_STOCK items, one to each request in the order they come; a request
        // handed over again (same Wharf-Request-Id) gets the answer it had
        AtomicLong stock = new AtomicLong(Long.parseLong(env.getOrDefault("DEMO_STOCK", "100")));
        Map<String, Boolean> sales = new java.util.concurrent.ConcurrentHashMap<>();
        AtomicLong again = new AtomicLong();
        server.createContext(
                "/sale/sold",
                ex -> respond(
                        ex,
                        200,
                        "{\"requests\":" + sales.size() + ",\"won\":"
                                + sales.values().stream().filter(w -> w).count() + ",\"again\":" + again.get() + "}"));
        server.createContext("/sale", ex -> {
            ex.getRequestBody().readAllBytes();
            String request = ex.getRequestHeaders().getFirst("Wharf-Request-Id");
            boolean won;
            if (request == null) {
                won = stock.getAndUpdate(s -> Math.max(0, s - 1)) > 0;
            } else {
                synchronized (sales) {
                    Boolean had = sales.get(request);
                    if (had != null) again.incrementAndGet();
                    won = had != null ? had : stock.getAndUpdate(s -> Math.max(0, s - 1)) > 0;
                    sales.put(request, won);
                }
            }
            String sentAt = ex.getRequestHeaders().getFirst("Wharf-Sent-At");
            respond(
                    ex,
                    200,
                    "{\"won\":" + won + ",\"left\":" + stock.get() + ",\"request\":\""
                            + (request == null ? "" : request) + "\",\"sentAt\":"
                            + (sentAt == null ? "0" : sentAt.replaceAll("[^0-9]", "")) + "}");
        });
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

    /** The numbers of a query such as {@code cpuMs=20&sleepMs=100}, each within {@code 0..max}. */
    static Map<String, Long> query(String raw, Map<String, Long> max) {
        Map<String, Long> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) return out;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            Long limit = max.get(name);
            if (limit == null) throw new IllegalArgumentException(name + ": unknown (expected: " + max.keySet() + ")");
            long n;
            try {
                n = Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + ": '" + value + "' is not a whole number");
            }
            if (n < 0 || n > limit)
                throw new IllegalArgumentException(name + ": " + n + " (expected: 0.." + limit + ")");
            out.put(name, n);
        }
        return out;
    }

    /** Uses {@code millis} of this thread's CPU time. */
    private static void burnCpu(long millis) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long until = mx.getCurrentThreadCpuTime() + millis * 1_000_000;
        long x = 0;
        while (mx.getCurrentThreadCpuTime() < until) {
            for (int i = 0; i < 10_000; i++) x += Long.numberOfTrailingZeros(x + 1);
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
