package io.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.ConnectionFactory;
import com.sun.net.httpserver.HttpServer;
import io.lettuce.core.RedisClient;
import io.wharf.intake.log.RabbitLog;
import io.wharf.store.ExternalDatabase;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Intake instances as processes of their own ({@code wharf intake}) over Redis Streams (this machine's Redis
 * at 6379) and over RabbitMQ streams (this machine's RabbitMQ at 5672), the sequencer elected through a real
 * ZooKeeper, results in MariaDB (3306), in front of a service this test runs: kill -9 of the instance that
 * leads.
 */
class IntakeFailoverIT {
    static final String REDIS = "redis://127.0.0.1:6379";
    static final String RABBITMQ = "amqp://guest:guest@127.0.0.1:5672";

    @TempDir
    Path dir;

    /** Unique per run: the service's results are kept under it. */
    final String namespace = "t" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);

    /** Unique per run: the names of the log's streams start with it. */
    final String prefix = "wharf-test-" + namespace;

    String backend;

    final List<Process> processes = new ArrayList<>();

    /** What the service saw: each request id's first call, in the order they came, per order key. */
    static final class Shop implements AutoCloseable {
        record Call(String id, String key, long sentMicros, long atNanos) {}

        final HttpServer http;
        final Map<String, Integer> calls = new ConcurrentHashMap<>();
        final List<Call> applied = new CopyOnWriteArrayList<>();

        Shop() throws IOException {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
            http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            http.createContext("/", x -> {
                try (x) {
                    String id = x.getRequestHeaders().getFirst("Wharf-Request-Id");
                    // applied once per request id: a request handed over again after a failover is not
                    // applied twice (the service keys its effect by the id, as the demo's /sale does)
                    synchronized (this) {
                        if (calls.merge(id, 1, Integer::sum) == 1) {
                            applied.add(new Call(
                                    id,
                                    x.getRequestHeaders().getFirst("Wharf-Order-Key"),
                                    Long.parseLong(x.getRequestHeaders().getFirst("Wharf-Sent-At")),
                                    System.nanoTime()));
                        }
                    }
                    byte[] ok = "ok".getBytes();
                    x.sendResponseHeaders(200, ok.length);
                    x.getResponseBody().write(ok);
                }
            });
            http.start();
        }

        String endpoint() {
            return "127.0.0.1:" + http.getAddress().getPort();
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    Process intake(String name, int port, String zookeeper, String store, String endpoint) throws IOException {
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(
                        WharfProcess.JAVA,
                        "-jar",
                        WharfProcess.JAR.toString(),
                        "intake",
                        "shop",
                        "-n",
                        namespace,
                        "--name",
                        name,
                        "--listen",
                        "127.0.0.1:" + port,
                        "--log",
                        backend,
                        "--log-prefix",
                        prefix,
                        "--store",
                        store,
                        "--zookeeper",
                        zookeeper,
                        "--zookeeper-session",
                        "1s",
                        "--endpoints",
                        endpoint,
                        "--timeout",
                        "30s")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        processes.add(p);
        return p;
    }

    String output(String name) throws IOException {
        Path log = dir.resolve(name + ".log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : processes) p.destroyForcibly().waitFor();
        if (REDIS.equals(backend)) {
            RedisClient client = RedisClient.create(REDIS);
            try (var c = client.connect()) {
                List<String> keys = c.sync().keys(prefix + ":*");
                if (!keys.isEmpty()) c.sync().del(keys.toArray(String[]::new));
            } finally {
                client.shutdown();
            }
        } else if (RABBITMQ.equals(backend)) {
            List<String> streams = new ArrayList<>();
            try (RabbitLog log = RabbitLog.open(RABBITMQ, prefix)) {
                for (String p : log.partitions()) streams.add(prefix + ".p." + p);
            }
            streams.add(prefix + ".partitions");
            String service = namespace + ".shop";
            streams.add(prefix + ".cp.sequencer." + service);
            streams.add(prefix + ".cp.dispatcher." + service);
            ConnectionFactory f = new ConnectionFactory();
            f.setUri(RABBITMQ);
            try (var c = f.newConnection()) {
                for (String s : streams) {
                    try (var ch = c.createChannel()) {
                        ch.queueDelete(s);
                    }
                }
            }
        }
    }

    record Sent(String key, long sentMicros, CompletableFuture<String> id) {}

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {REDIS, RABBITMQ})
    @DisplayName("002.3–002.6 three intake processes over Redis or RabbitMQ, ZooKeeper electing the sequencer: the"
            + " leader killed -9 mid-burst, a standby orders and dispatches again (about 2 s); every request an"
            + " intake acknowledged is stored once and applied once, each key in send order")
    void leaderKilled(String backend) throws Exception {
        this.backend = backend;
        try {
            killTheLeader();
        } catch (Exception | AssertionError e) {
            for (String n : List.of("a", "b", "c")) System.out.println("--- " + n + "'s log:\n" + uncheckedOutput(n));
            throw e;
        }
    }

    private void killTheLeader() throws Exception {
        InstanceSpec zkSpec =
                new InstanceSpec(dir.resolve("zk").toFile(), freePort(), freePort(), freePort(), true, 1, 200, 1000);
        try (TestingServer zk = new TestingServer(zkSpec, true);
                ExternalDatabase db = ExternalDatabase.mariadb();
                Shop shop = new Shop()) {
            Map<String, Integer> ports = new HashMap<>();
            for (String name : List.of("a", "b", "c")) {
                ports.put(name, freePort());
                intake(name, ports.get(name), zk.getConnectString(), db.url(), shop.endpoint());
            }
            HttpClient http = HttpClient.newBuilder()
                    .executor(Executors.newVirtualThreadPerTaskExecutor())
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                for (String name : ports.keySet()) if (!output(name).contains("listening on")) return false;
                return ports.keySet().stream().anyMatch(n -> uncheckedOutput(n).contains("leads"));
            });
            String leader = ports.keySet().stream()
                    .filter(n -> uncheckedOutput(n).contains("leads"))
                    .findFirst()
                    .orElseThrow();

            // warm: each instance takes requests, and the leader has them ordered and handed over
            List<Sent> warming = new ArrayList<>();
            send(http, ports, new Random(1), 150, -1, null, warming, new ConcurrentHashMap<>());
            for (Sent s : warming) assertThat(s.id().get(60, TimeUnit.SECONDS)).isNotNull();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> warming.stream().allMatch(s -> shop.calls.containsKey(s.id().join())));

            Random random = new Random(5);
            List<Sent> sent = new ArrayList<>();
            Map<String, Integer> statuses = new ConcurrentHashMap<>();
            Process leading = processes.get(List.of("a", "b", "c").indexOf(leader));
            long killedAt = send(http, ports, random, 2400, 1000, leading, sent, statuses);
            List<String> acknowledged = new ArrayList<>();
            for (Sent s : sent) {
                String id = s.id().get(60, TimeUnit.SECONDS);
                if (id != null) acknowledged.add(id);
            }
            // the dead leader's own requests were acknowledged too: all must be applied
            assertThat(acknowledged.stream().filter(id -> id.startsWith(leader + "-")))
                    .as("answers: %s", statuses)
                    .isNotEmpty();
            // the others acknowledged everything sent to them
            assertThat(statuses).as("answers: %s", statuses).allSatisfy((to, n) -> assertThat(
                            to.startsWith(leader) || to.endsWith(":202"))
                    .isTrue());

            Set<String> ackSet = Set.copyOf(acknowledged);
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(shop.calls.keySet()).containsAll(ackSet));

            // a standby took over: it says so, and the service was called again soon after the kill
            List<String> names = List.of("a", "b", "c");
            String standby = names.stream()
                    .filter(n -> !n.equals(leader))
                    .filter(n -> uncheckedOutput(n).contains("leads"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no standby took the lead"));
            long killed = killedAt;
            long resumedNanos = shop.applied.stream()
                    .mapToLong(Shop.Call::atNanos)
                    .filter(t -> t > killed + TimeUnit.MILLISECONDS.toNanos(100))
                    .min()
                    .orElseThrow();
            System.out.printf(
                    "IntakeFailoverIT over %s: %s killed, %s dispatching %d ms later; %d acknowledged%n",
                    backend.replaceFirst("//[^@/]*@", "//"),
                    leader,
                    standby,
                    (resumedNanos - killed) / 1_000_000,
                    acknowledged.size());
            // how the standby took over, for docs/benchmarks.md
            uncheckedOutput(standby)
                    .lines()
                    .filter(l -> l.contains("leads") || l.contains("sequencer") || l.contains("silent"))
                    .forEach(l -> System.out.println("  " + standby + ": " + l));
            assertThat(Duration.ofNanos(resumedNanos - killed))
                    .as(
                            "from the kill of %s to %s dispatching; %s's log:%n%s",
                            leader, standby, standby, uncheckedOutput(standby))
                    // the session's second, the new leader's catching up from the checkpoints and its first call:
                    // about 2 s on this machine when quiet (docs/benchmarks.md); bounded here with room for a
                    // busy one, so that what fails is a standby that does not take over or waits for a dead
                    // partition, not a slow machine
                    .isLessThan(Duration.ofSeconds(6));

            // every acknowledged request's result stored exactly once, and fetched by its id from any instance
            Map<String, Boolean> late = new HashMap<>();
            try (var c = DriverManager.getConnection(db.url());
                    var q = c.prepareStatement("SELECT id, late FROM intake_results WHERE namespace = ?")) {
                q.setString(1, namespace);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next())
                        assertThat(late.put(rs.getString(1), rs.getInt(2) != 0)).isNull();
                }
            }
            assertThat(late.keySet()).containsAll(ackSet);
            String alive = standby;
            HttpResponse<String> fetched = http.send(
                    HttpRequest.newBuilder(URI.create(
                                    "http://127.0.0.1:" + ports.get(alive) + "/results/" + acknowledged.get(0)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(fetched.statusCode()).isEqualTo(200);
            assertThat(fetched.body()).isEqualTo("ok");

            // each key in send order, but for requests marked late
            Map<String, Long> last = new HashMap<>();
            int inversions = 0;
            for (Shop.Call call : shop.applied) {
                if (Boolean.TRUE.equals(late.get(call.id()))) continue;
                Long before = last.put(call.key(), call.sentMicros());
                if (before != null && call.sentMicros() < before) inversions++;
            }
            assertThat(inversions).isZero();
        }
    }

    /**
     * Sends {@code n} requests, about 500 a second, each to a random instance after a random delay of 0–200 ms,
     * asking for {@code 202} at once; before request {@code killAt}, kills {@code victim}. Returns when it was
     * killed (nanoTime).
     */
    static long send(
            HttpClient http,
            Map<String, Integer> ports,
            Random random,
            int n,
            int killAt,
            Process victim,
            List<Sent> sent,
            Map<String, Integer> statuses)
            throws Exception {
        List<String> names = List.of("a", "b", "c");
        long killedAt = 0;
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                if (i == killAt) {
                    victim.destroyForcibly();
                    killedAt = System.nanoTime();
                    System.out.println("IntakeFailoverIT: leader killed at " + java.time.LocalTime.now());
                }
                String key = "item-" + random.nextInt(20);
                long delay = random.nextInt(201);
                String to = names.get(random.nextInt(3));
                long sentMicros = System.currentTimeMillis() * 1000;
                CompletableFuture<String> id = new CompletableFuture<>();
                sent.add(new Sent(key, sentMicros, id));
                pool.submit(() -> {
                    Thread.sleep(delay);
                    try {
                        HttpResponse<String> r = http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(to) + "/buy"))
                                        .header("Wharf-Sent-At", Long.toString(sentMicros))
                                        .header("Wharf-Order-Key", key)
                                        .header("Prefer", "respond-async")
                                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        statuses.merge(to + ":" + r.statusCode(), 1, Integer::sum);
                        // 202: in the log, acknowledged
                        id.complete(
                                r.statusCode() == 202
                                        ? r.headers()
                                                .firstValue("Wharf-Request-Id")
                                                .orElseThrow()
                                        : null);
                    } catch (IOException e) {
                        statuses.merge(to + ":" + e.getClass().getSimpleName(), 1, Integer::sum);
                        id.complete(null); // its intake is gone: not acknowledged
                    }
                    return null;
                });
                Thread.sleep(2);
            }
        }
        return killedAt;
    }

    private String uncheckedOutput(String name) {
        try {
            return output(name);
        } catch (IOException e) {
            return "";
        }
    }
}
