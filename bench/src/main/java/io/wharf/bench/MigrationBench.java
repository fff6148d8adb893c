package io.wharf.bench;

import com.sun.net.httpserver.HttpServer;
import io.wharf.client.WharfClient;
import io.wharf.client.sdk.Discovery;
import io.wharf.client.sdk.Wharf;
import io.wharf.client.wire.MigrationInfo;
import io.wharf.client.wire.MigrationRequest;
import io.wharf.client.wire.MigrationStepInfo;
import io.wharf.client.wire.OperationStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/**
 * The migration of N SDK instances from ZooKeeper to Wharf's registry under load. Starts a ZooKeeper server, then
 * N/2 providers of {@code orders} (each serving HTTP on its own loopback address) and N/2 consumers calling a
 * picked provider every 50 ms each, all in this process, each its own SDK instance reporting to the server;
 * pushes the native interface's package and runs {@code wharf migrate} with the given windows, printing each
 * step as it begins. Reports the total time, the time less the verify and watch windows, and the calls made
 * during the migration with those that failed (no provider picked, no connection, not a 200).
 *
 * <p>Usage: {@code MigrationBench URL TOKEN INSTANCES VERIFY WATCH PACKAGE-JAR}
 */
public final class MigrationBench {
    public static void main(String[] args) {
        int status = 1;
        try {
            run(args);
            status = 0;
        } catch (Exception e) {
            e.printStackTrace();
        } finally {
            // the providers' HTTP servers and the SDKs' threads end with the process
            System.exit(status);
        }
    }

    private static void run(String[] args) throws Exception {
        String url = args[0];
        String token = args[1];
        int instances = Integer.parseInt(args[2]);
        String verify = args[3];
        String watch = args[4];
        Path pkg = Path.of(args[5]);
        int providers = instances / 2;
        int consumers = instances - providers;
        Path packages = Files.createTempDirectory("wharf-bench-packages");

        // every instance is its own ZooKeeper client, all from 127.0.0.1: more than ZooKeeper's default of 60
        InstanceSpec spec = new InstanceSpec(null, -1, -1, -1, true, -1, -1, instances + 10);
        try (TestingServer zk = new TestingServer(spec, true)) {
            String zkAddress = "zookeeper://" + zk.getConnectString() + "/services";
            List<Wharf> sdks = new ArrayList<>();
            List<HttpServer> servers = new ArrayList<>();
            for (int i = 0; i < providers; i++) {
                String ip = "127.0.76." + (i + 1);
                HttpServer http = HttpServer.create(new InetSocketAddress(ip, 0), 256);
                http.createContext("/", exchange -> {
                    byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                });
                http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
                http.start();
                servers.add(http);
                Wharf sdk = sdk(zkAddress, url, token, "provider-" + i, packages);
                sdk.register("orders", ip, http.getAddress().getPort(), "v1", Map.of());
                sdks.add(sdk);
            }
            List<Discovery> views = new ArrayList<>();
            for (int i = 0; i < consumers; i++) {
                Wharf sdk = sdk(zkAddress, url, token, "consumer-" + i, packages);
                sdks.add(sdk);
                views.add(sdk.discover("orders"));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            for (Discovery v : views) {
                while (v.instances().size() < providers) {
                    if (System.nanoTime() > deadline) throw new IllegalStateException("providers not seen in 120s");
                    Thread.sleep(50);
                }
            }
            WharfClient client = WharfClient.builder(url).token(token).build();
            while (client.registry().clients("default").size() < instances) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("instances not reporting");
                Thread.sleep(200);
            }
            System.out.printf(
                    "# %d providers and %d consumers on ZooKeeper, reporting to %s%n", providers, consumers, url);

            LongAdder calls = new LongAdder();
            LongAdder failed = new LongAdder();
            ConcurrentLinkedQueue<String> why = new ConcurrentLinkedQueue<>();
            HttpClient http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(3))
                    .executor(Executors.newVirtualThreadPerTaskExecutor())
                    .build();
            // each consumer calls one call at a time, as a request handler would: a slow call delays its next
            List<Thread> callers = new ArrayList<>();
            for (Discovery v : views) {
                callers.add(Thread.ofVirtual().start(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        long start = System.nanoTime();
                        call(v, http, calls, failed, why);
                        long sleep = 50_000_000L - (System.nanoTime() - start);
                        try {
                            if (sleep > 0) Thread.sleep(sleep / 1_000_000L);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }));
            }
            Thread.sleep(2000);

            client.cluster()
                    .pushImage(
                            "wharf-interface-native", "bench", pkg.getFileName().toString(), Optional.empty(), pkg);
            long callsBefore = calls.sum();
            long failedBefore = failed.sum();
            long started = System.nanoTime();
            MigrationInfo m = client.operations()
                    .migrate(new MigrationRequest(
                            null,
                            zkAddress,
                            "native",
                            null,
                            "wharf-interface-native:bench",
                            List.of(),
                            verify,
                            watch,
                            null,
                            null,
                            "120s"));
            int shown = 0;
            while (true) {
                m = client.operations().getMigration(m.id());
                for (; shown < m.steps().size(); shown++) {
                    MigrationStepInfo s = m.steps().get(shown);
                    System.out.printf("  %6.1f s  %s%n", (System.nanoTime() - started) / 1e9, s.step());
                }
                if (m.status() != OperationStatus.RUNNING) break;
                Thread.sleep(100);
            }
            double total = (System.nanoTime() - started) / 1e9;
            long during = calls.sum() - callsBefore;
            long failures = failed.sum() - failedBefore;
            for (MigrationStepInfo s : m.steps()) System.out.println("  " + s.step() + ": " + s.note());
            System.out.printf(
                    "migration of %d SDK instances: %s in %.1f s (%.1f s less the verify and watch windows of %d + %d ms);"
                            + " %,d calls during it, %,d failed%n",
                    instances,
                    m.status(),
                    total,
                    total - (m.verifyMillis() + m.watchMillis()) / 1000.0,
                    m.verifyMillis(),
                    m.watchMillis(),
                    during,
                    failures);
            if (!m.reason().isEmpty()) System.out.println("  " + m.reason());
            why.stream().limit(10).forEach(w -> System.out.println("  failed: " + w));
            callers.forEach(Thread::interrupt);
            for (Wharf sdk : sdks) sdk.close();
            for (HttpServer s : servers) s.stop(0);
        }
    }

    private static Wharf sdk(String zk, String url, String token, String name, Path packages) {
        return Wharf.builder(zk)
                .controlServer(url)
                .token(token)
                .instanceName(name)
                .packages(packages)
                .deregisterOnShutdown(false)
                .build();
    }

    private static void call(
            Discovery view, HttpClient http, LongAdder calls, LongAdder failed, ConcurrentLinkedQueue<String> why) {
        calls.increment();
        Optional<Discovery.Call> call = view.start();
        if (call.isEmpty()) {
            failed.increment();
            why.add("no provider to pick");
            return;
        }
        try (Discovery.Call c = call.get()) {
            URI to = URI.create(
                    "http://" + c.instance().ip() + ":" + c.instance().port() + "/");
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(to)
                                .timeout(Duration.ofSeconds(3))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) throw new IOException("status " + r.statusCode());
            } catch (IOException e) {
                c.failed();
                failed.increment();
                why.add(c.instance().id() + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
