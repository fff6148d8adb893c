package io.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
}
