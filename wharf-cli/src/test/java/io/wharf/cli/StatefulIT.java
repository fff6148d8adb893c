package io.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryUntilElapsed;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stateful services on real servers (claim 002.1): Redis keeps its keys through kill -9 of itself, an in-place
 * release, kill -9 of the platform, and a scale-in and out, its volumes pinned to its ordinals. The servers
 * come from the host's Debian packages; the images are the start scripts of {@code examples/stateful}.
 */
class StatefulIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path EXAMPLES = Path.of("..", "examples", "stateful");

    @TempDir
    Path data;

    /** Fails under CI when a server the test runs is not installed (CI installs it); skips elsewhere. */
    static void requireInstalled(String... commands) {
        for (String command : commands) {
            boolean found = List.of("/usr/bin/", "/usr/sbin/", "/usr/lib/rabbitmq/bin/").stream()
                    .anyMatch(dir -> Files.isExecutable(Path.of(dir + command)));
            if (found) continue;
            String why = command + " is not installed (apt-get install the package docs/services.md names)";
            if ("true".equals(System.getenv("CI"))) Assertions.fail(why);
            Assumptions.abort(why);
        }
    }

    static void ok(WharfProcess.Result r) {
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
    }

    /** Pushes the example image {@code name:version} and applies {@code spec} (its YAML). */
    static void pushAndApply(WharfProcess wharf, String name, String version, String spec) throws Exception {
        ok(wharf.cli(
                "image",
                "push",
                name + ":" + version,
                EXAMPLES.resolve("images").resolve(name).toString(),
                "--cmd",
                "sh start.sh"));
        Path file = wharf.data.resolve(name + "-" + System.nanoTime() + ".yaml");
        Files.writeString(file, spec);
        ok(wharf.cli("apply", "-f", file.toString()));
    }

    /** The example's spec with another replica count. */
    static String example(String name, int replicas) throws IOException {
        return Files.readString(EXAMPLES.resolve(name + ".yaml"))
                .replaceFirst("replicas: \\d+", "replicas: " + replicas);
    }

    static JsonNode container(WharfProcess wharf, String id) throws Exception {
        var r = wharf.http().get("/v1/containers/" + id);
        return r.statusCode() == 200 ? JSON.readTree(r.body()) : JSON.missingNode();
    }

    /** Waits until container {@code id} runs and passes its health check; returns it. */
    static JsonNode awaitHealthy(WharfProcess wharf, String id) {
        JsonNode[] seen = new JsonNode[1];
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    seen[0] = container(wharf, id);
                    return seen[0].path("state").asText().equals("RUNNING")
                            && seen[0].path("observed").path("healthy").asBoolean();
                });
        return seen[0];
    }

    static long pid(JsonNode container) {
        return container.path("observed").path("pid").asLong();
    }

    static String redis(JsonNode c, String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                "redis-cli", "-h", c.get("ip").asText(), "-p", c.get("port").asText()));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    /** Writes keys {@code key:0 … key:(n-1)} in one pipeline; returns what redis-cli said of the replies. */
    static String writeKeys(JsonNode c, int n) throws Exception {
        StringBuilder resp = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String k = "key:" + i;
            String v = "value-" + i;
            resp.append("*3\r\n$3\r\nSET\r\n$")
                    .append(k.length())
                    .append("\r\n")
                    .append(k)
                    .append("\r\n$")
                    .append(v.length())
                    .append("\r\n")
                    .append(v)
                    .append("\r\n");
        }
        Process p = new ProcessBuilder(
                        "redis-cli",
                        "-h",
                        c.get("ip").asText(),
                        "-p",
                        c.get("port").asText(),
                        "--pipe")
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().write(resp.toString().getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    static void killProcess(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    @Test
    @DisplayName("002.1 Redis keeps 10,000 keys through kill -9 of itself, an in-place release, and kill -9 of the"
            + " platform (adopted), on the same IP")
    void redisKeepsItsData() throws Exception {
        requireInstalled("redis-server", "redis-cli");
        try (WharfProcess wharf = new WharfProcess(data, "127.0.44.0/24").start()) {
            ok(wharf.cli(
                    "image", "push", "redis:2", EXAMPLES.resolve("images/redis").toString(), "--cmd", "sh start.sh"));
            pushAndApply(wharf, "redis", "1", example("redis", 1));
            JsonNode first = awaitHealthy(wharf, "default.redis.0");
            String ip = first.get("ip").asText();
            assertThat(writeKeys(first, 10_000)).contains("errors: 0, replies: 10000");
            assertThat(redis(first, "DBSIZE")).isEqualTo("10000");

            // the server is killed: its agent starts it again on its volume
            killProcess(pid(first));
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> container(wharf, "default.redis.0")
                                    .path("observed")
                                    .path("restarts")
                                    .asInt()
                            >= 1);
            JsonNode restarted = awaitHealthy(wharf, "default.redis.0");
            assertThat(pid(restarted)).isNotEqualTo(pid(first));
            assertThat(redis(restarted, "DBSIZE")).isEqualTo("10000");
            assertThat(redis(restarted, "GET", "key:9999")).isEqualTo("value-9999");

            // an in-place release to another version takes over the volume
            ok(wharf.cli("release", "redis", "--version", "2", "--wait"));
            JsonNode released = awaitHealthy(wharf, "default.redis.0");
            assertThat(released.get("image").asText()).isEqualTo("redis:2");
            assertThat(released.get("ip").asText()).isEqualTo(ip);
            assertThat(redis(released, "DBSIZE")).isEqualTo("10000");

            // the platform (server and its agent) is killed and started again: the agent adopts the process
            wharf.kill();
            assertThat(redis(released, "DBSIZE")).isEqualTo("10000");
            wharf.start();
            JsonNode adopted = awaitHealthy(wharf, "default.redis.0");
            assertThat(pid(adopted)).isEqualTo(pid(released));
            assertThat(adopted.get("ip").asText()).isEqualTo(ip);
            assertThat(redis(adopted, "DBSIZE")).isEqualTo("10000");

            // and the server killed once more, under the restarted agent
            killProcess(pid(adopted));
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> pid(container(wharf, "default.redis.0")) != pid(adopted));
            JsonNode again = awaitHealthy(wharf, "default.redis.0");
            assertThat(redis(again, "DBSIZE")).isEqualTo("10000");
        }
    }

    @Test
    @DisplayName("002.1 kind: stateful starts in order; a scale-in from 3 to 2 keeps the volume of ordinal 2, a"
            + " scale-out back finds its data; deleted only by name, once no container uses it")
    void scaleInKeepsVolumes() throws Exception {
        requireInstalled("redis-server", "redis-cli");
        try (WharfProcess wharf = new WharfProcess(data, "127.0.45.0/24").start()) {
            pushAndApply(wharf, "redis", "1", example("redis", 3));
            List<Instant> started = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                long pid = pid(awaitHealthy(wharf, "default.redis." + i));
                started.add(ProcessHandle.of(pid)
                        .orElseThrow()
                        .info()
                        .startInstant()
                        .orElseThrow());
            }
            assertThat(started).isSorted().doesNotHaveDuplicates();
            JsonNode two = container(wharf, "default.redis.2");
            assertThat(redis(two, "SET", "who", "ordinal-two")).isEqualTo("OK");

            ok(wharf.cli("apply", "-f", write(wharf, example("redis", 2))));
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> container(wharf, "default.redis.2").isMissingNode());
            var volumes = wharf.cli("get", "volumes");
            ok(volumes);
            assertThat(volumes.out())
                    .containsPattern("redis-2 +data +local +" + two.get("ip").asText() + " .* kept");
            var refused = wharf.cli("delete", "volume", "redis-0");
            assertThat(refused.exit()).isNotZero();
            assertThat(refused.err()).contains("scale redis in below 1 first");

            ok(wharf.cli("apply", "-f", write(wharf, example("redis", 3))));
            JsonNode back = awaitHealthy(wharf, "default.redis.2");
            assertThat(back.get("ip").asText()).isEqualTo(two.get("ip").asText());
            assertThat(redis(back, "GET", "who")).isEqualTo("ordinal-two");

            ok(wharf.cli("apply", "-f", write(wharf, example("redis", 2))));
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> container(wharf, "default.redis.2").isMissingNode());
            ok(wharf.cli("delete", "volume", "redis-2"));
            Path dir = data.resolve("agent/volumes/default.redis.2");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !Files.exists(dir)
                            && !wharf.cli("get", "volumes").out().contains("redis-2"));
            assertThat(Files.exists(data.resolve("agent/volumes/default.redis.1/data")))
                    .isTrue();
        }
    }

    static String write(WharfProcess wharf, String spec) throws IOException {
        Path file = wharf.data.resolve("spec-" + System.nanoTime() + ".yaml");
        Files.writeString(file, spec);
        return file.toString();
    }

    @Test
    @DisplayName("002.1 MariaDB initialises its data directory once; a table written is intact after kill -9")
    void mariadbKeepsItsTables() throws Exception {
        requireInstalled("mariadbd", "mariadb-install-db");
        try (WharfProcess wharf = new WharfProcess(data, "127.0.46.0/24").start()) {
            pushAndApply(wharf, "mariadb", "1", example("mariadb", 1));
            JsonNode first = awaitHealthy(wharf, "default.mariadb.0");
            String url = "jdbc:mariadb://" + first.get("ip").asText() + ":"
                    + first.get("port").asText() + "/app";
            try (Connection db = DriverManager.getConnection(url, "app", "wharf");
                    Statement st = db.createStatement()) {
                st.execute("CREATE TABLE orders (id INT PRIMARY KEY, item VARCHAR(64)) ENGINE=InnoDB");
                try (PreparedStatement insert = db.prepareStatement("INSERT INTO orders VALUES (?, ?)")) {
                    for (int i = 0; i < 1000; i++) {
                        insert.setInt(1, i);
                        insert.setString(2, "item-" + i);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
            killProcess(pid(first));
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> pid(container(wharf, "default.mariadb.0")) != pid(first));
            JsonNode restarted = awaitHealthy(wharf, "default.mariadb.0");
            assertThat(restarted.get("observed").get("restarts").asInt()).isGreaterThanOrEqualTo(1);
            try (Connection db = DriverManager.getConnection(url, "app", "wharf");
                    Statement st = db.createStatement();
                    ResultSet rs = st.executeQuery("SELECT COUNT(*), MAX(item) FROM orders")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1000);
                assertThat(rs.getString(2)).isEqualTo("item-999");
            }
            // initialised on the first start only
            assertThat(Files.readString(wharf.data.resolve("agent/containers/default.mariadb.0/stdout.log")))
                    .containsOnlyOnce("initialising the data directory");
        }
    }

    @Test
    @DisplayName("002.1 a 3-member ZooKeeper ensemble from wharf apply: a Curator client writes and reads, and"
            + " the ensemble keeps its quorum while its leader is stopped")
    void zookeeperEnsemble() throws Exception {
        requireInstalled("java");
        assertThat(Path.of("/usr/share/java/zookeeper.jar"))
                .as("Debian's zookeeper")
                .exists();
        try (WharfProcess wharf = new WharfProcess(data, "127.0.47.0/24").start()) {
            pushAndApply(wharf, "zookeeper", "1", example("zookeeper", 3));
            List<JsonNode> members = new ArrayList<>();
            for (int i = 0; i < 3; i++) members.add(awaitHealthy(wharf, "default.zookeeper." + i));
            String connect = String.join(
                    ",",
                    members.stream()
                            .map(m -> m.get("ip").asText() + ":" + m.get("port").asText())
                            .toList());
            // the ensemble has formed once one member leads and two follow
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> modes(members).equals(List.of("follower", "follower", "leader")));
            try (CuratorFramework zk = CuratorFrameworkFactory.newClient(
                    // a session that outlives a leader's election, and operations retried through it
                    connect, 20_000, 5_000, new RetryUntilElapsed(90_000, 250))) {
                zk.start();
                assertThat(zk.blockUntilConnected(60, TimeUnit.SECONDS)).isTrue();
                zk.create().creatingParentsIfNeeded().forPath("/wharf/config", "v1".getBytes(StandardCharsets.UTF_8));
                assertThat(new String(zk.getData().forPath("/wharf/config"), StandardCharsets.UTF_8))
                        .isEqualTo("v1");

                JsonNode leader = members.stream()
                        .filter(m -> mode(m).equals("leader"))
                        .findFirst()
                        .orElseThrow();
                long pid = pid(leader);
                signal("STOP", pid);
                try {
                    zk.setData().forPath("/wharf/config", "v2".getBytes(StandardCharsets.UTF_8));
                    assertThat(new String(zk.getData().forPath("/wharf/config"), StandardCharsets.UTF_8))
                            .isEqualTo("v2");
                    List<JsonNode> others =
                            members.stream().filter(m -> m != leader).toList();
                    assertThat(modes(others)).containsExactlyInAnyOrder("leader", "follower");
                } finally {
                    signal("CONT", pid);
                }
            }
        }
    }

    /** The modes of ZooKeeper members (leader, follower, standalone; "" for one not serving), sorted. */
    static List<String> modes(List<JsonNode> members) {
        return members.stream().map(StatefulIT::mode).sorted().toList();
    }

    /** What a ZooKeeper member says its mode is, by its {@code srvr} command. */
    static String mode(JsonNode member) {
        try (Socket s = new Socket()) {
            s.connect(
                    new InetSocketAddress(
                            member.get("ip").asText(), member.get("port").asInt()),
                    2000);
            s.setSoTimeout(2000);
            s.getOutputStream().write("srvr".getBytes(StandardCharsets.US_ASCII));
            String out = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return out.lines()
                    .filter(l -> l.startsWith("Mode: "))
                    .map(l -> l.substring(6).trim())
                    .findFirst()
                    .orElse("");
        } catch (IOException e) {
            return "";
        }
    }

    static void signal(String signal, long pid) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                        .start()
                        .waitFor())
                .isZero();
    }

    @Test
    @DisplayName("002.1 RabbitMQ takes 10,000 persistent messages with publisher confirms and delivers every one"
            + " after its server was killed and started again")
    void rabbitmqKeepsItsMessages() throws Exception {
        requireInstalled("rabbitmq-server");
        try (WharfProcess wharf = new WharfProcess(data, "127.0.48.0/24").start()) {
            pushAndApply(wharf, "rabbitmq", "1", example("rabbitmq", 1));
            JsonNode first = awaitHealthy(wharf, "default.rabbitmq.0");
            ConnectionFactory factory = new ConnectionFactory();
            factory.setHost(first.get("ip").asText());
            factory.setPort(first.get("port").asInt());
            factory.setUsername("guest");
            factory.setPassword("guest");
            // the port opens a moment before the broker takes logins
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                factory.newConnection().close();
                return true;
            });
            try (com.rabbitmq.client.Connection conn = factory.newConnection();
                    Channel ch = conn.createChannel()) {
                // a classic durable queue (see docs/services.md for what a kill did to a quorum queue on 3.10)
                ch.queueDeclare("orders", true, false, false, null);
                ch.confirmSelect();
                for (int i = 0; i < 10_000; i++) {
                    ch.basicPublish(
                            "",
                            "orders",
                            MessageProperties.PERSISTENT_BASIC,
                            ("order-" + i).getBytes(StandardCharsets.UTF_8));
                }
                ch.waitForConfirmsOrDie(60_000);
            }
            // the Erlang VM is the server; the container's process is the script that waits on it
            long beam = ProcessHandle.of(pid(first))
                    .orElseThrow()
                    .descendants()
                    .filter(p -> p.info().command().orElse("").endsWith("beam.smp"))
                    .findFirst()
                    .orElseThrow()
                    .pid();
            killProcess(beam);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> pid(container(wharf, "default.rabbitmq.0")) != pid(first));
            awaitHealthy(wharf, "default.rabbitmq.0");
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                factory.newConnection().close();
                return true;
            });
            // the queue is back once its node has recovered it (a channel that asked too early is closed: a new
            // one each time)
            try {
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                    try (com.rabbitmq.client.Connection conn = factory.newConnection();
                            Channel ch = conn.createChannel()) {
                        return ch.messageCount("orders") == 10_000;
                    }
                });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // what the broker said as it started again: whether it found its database, what it recovered
                String log = wharf.cli("logs", "default.rabbitmq.0").out();
                throw new AssertionError(
                        "the queue did not come back; the broker's output:\n"
                                + log.substring(Math.max(0, log.length() - 15_000)),
                        e);
            }
            try (com.rabbitmq.client.Connection conn = factory.newConnection();
                    Channel ch = conn.createChannel()) {
                java.util.Set<String> got = new java.util.HashSet<>();
                GetResponse r;
                while ((r = ch.basicGet("orders", false)) != null) {
                    got.add(new String(r.getBody(), StandardCharsets.UTF_8));
                    ch.basicAck(r.getEnvelope().getDeliveryTag(), false);
                }
                assertThat(got).hasSize(10_000).contains("order-0", "order-9999");
            }
        }
    }

    @Test
    @DisplayName("002.1 volumes that leave the container's directory are refused, named; a volume larger than any"
            + " host's free disk waits, and says so")
    void badVolumesAndNoDisk() throws Exception {
        try (WharfProcess wharf = new WharfProcess(data, "127.0.53.0/24").start()) {
            var refused = wharf.cli(
                    "apply",
                    "-f",
                    write(
                            wharf,
                            "name: bad\nimage: demo:v1\nports: [{port: 8080}]\nvolumes:\n"
                                    + "  - {name: data, path: ../x}\n  - {name: data, path: /etc, size: lots}\n"));
            assertThat(refused.exit()).isNotZero();
            assertThat(refused.err())
                    .contains(
                            "volumes[0].path",
                            "leaves the container's directory",
                            "volumes[1].name",
                            "volumes[1].path",
                            "volumes[1].size");
            ok(wharf.cli(
                    "apply",
                    "-f",
                    write(
                            wharf,
                            "name: huge\nimage: demo:v1\nports: [{port: 8080}]\n"
                                    + "volumes: [{name: data, size: 100Ti}]\n")));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                            wharf.cli("get", "containers").out())
                    .contains("waiting: default/huge-0 waits: no ready host has 104857600 MiB of disk for"
                            + " volumes, a free IP"));
            assertThat(container(wharf, "default.huge.0").isMissingNode()).isTrue();
        }
    }
}
