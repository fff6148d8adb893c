package io.wharf.sdk.nativeregistry;

import com.sun.net.httpserver.HttpServer;
import io.wharf.client.sdk.Discovery;
import io.wharf.client.sdk.Instance;
import io.wharf.client.sdk.Wharf;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * An application using the SDK, run as its own process by the migration tests: a provider serving {@code
 * orders} over HTTP, or a consumer calling it every 20 ms and counting each call that fails (no provider picked,
 * no connection, not a 200). It starts on ZooKeeper alone, reports to the Wharf server, and takes whatever
 * interfaces the server asks for. A consumer writes {@code calls failed primary} to its status file five times a
 * second and each failure to its standard error.
 *
 * <p>Arguments: {@code provider|consumer NAME ZOOKEEPER-ADDRESS SERVER TOKEN IP STATUS-FILE PACKAGES-DIR}.
 */
public final class FleetMember {
    private FleetMember() {}

    public static void main(String[] args) throws Exception {
        String role = args[0];
        String name = args[1];
        Wharf wharf = Wharf.builder(args[2])
                .controlServer(args[3])
                .token(args[4])
                .instanceName(name)
                .packages(Path.of(args[7]))
                .build();
        if (role.equals("provider")) {
            provide(wharf, args[5]);
        } else {
            consume(wharf, Path.of(args[6]));
        }
    }

    private static void provide(Wharf wharf, String ip) throws IOException, InterruptedException {
        HttpServer http = HttpServer.create(new InetSocketAddress(ip, 0), 256);
        http.createContext("/", exchange -> {
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
        wharf.register("orders", ip, http.getAddress().getPort(), "v1", Map.of());
        System.out.println("READY");
        Thread.currentThread().join();
    }

    private static void consume(Wharf wharf, Path status) throws Exception {
        Discovery orders = wharf.discover("orders");
        // calls begin once a provider is known: before, there is nothing to call, not a failure
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (orders.pick().isEmpty()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("no provider of orders in 60s");
            Thread.sleep(20);
        }
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(3))
                .build();
        long calls = 0;
        long failed = 0;
        long written = 0;
        System.out.println("READY");
        while (true) {
            long started = System.nanoTime();
            calls++;
            Optional<Discovery.Call> call = orders.start();
            if (call.isEmpty()) {
                failed++;
                System.err.println(java.time.Instant.now() + " FAILED no provider to pick (primary " + wharf.primary()
                        + ", each interface's list: " + sizes(orders) + ")");
            } else {
                try (Discovery.Call c = call.get()) {
                    Instance to = c.instance();
                    try {
                        HttpResponse<String> r = http.send(
                                HttpRequest.newBuilder(URI.create("http://" + to.ip() + ":" + to.port() + "/"))
                                        .timeout(Duration.ofSeconds(3))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) throw new IOException("status " + r.statusCode());
                    } catch (IOException e) {
                        c.failed();
                        failed++;
                        System.err.println(java.time.Instant.now() + " FAILED " + to.id() + " (primary "
                                + wharf.primary() + "): " + e);
                    }
                }
            }
            if (System.nanoTime() - written > 200_000_000L) {
                Path tmp = status.resolveSibling(status.getFileName() + ".tmp");
                Files.writeString(tmp, calls + " " + failed + " " + wharf.primary());
                Files.move(tmp, status, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                written = System.nanoTime();
            }
            long sleep = 20_000_000L - (System.nanoTime() - started);
            if (sleep > 0) Thread.sleep(sleep / 1_000_000L);
        }
    }

    /** How many instances each interface's list holds, and how many of them take requests. */
    private static String sizes(Discovery view) {
        StringBuilder b = new StringBuilder();
        view.byInterface().forEach((name, list) -> b.append(name)
                .append('=')
                .append(list.size())
                .append('/')
                .append(list.stream().filter(Instance::up).count())
                .append(' '));
        return b.toString().trim();
    }
}
