package io.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smooth releases (claims 001.1-001.10), end to end, as real processes; the scenarios are unit tests. */
class ReleaseIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    @Test
    @DisplayName("001 smooth releases end to end, as real processes: in place, then start-first, each under load"
            + " with 0 failed requests; a failing version is rolled back; one release of a service at a time")
    void releases() throws Exception {
        try (WharfProcess wharf = new WharfProcess(data, "127.0.34.0/24").start()) {
            Path spec = data.resolve("rel.yaml");
            Files.writeString(spec, """
                    name: rel
                    image: demo:v1
                    replicas: 3
                    ports: [{port: 8080, external: 18095}]
                    health: {path: /health, interval: 300ms}
                    """);
            assertThat(wharf.cli("apply", "-f", spec.toString()).exit()).isZero();
            awaitVersions(wharf, "v1", 3);
            String lb = "http://" + wharf.lbAddress() + ":18095/";

            // 001.1-001.8, 001.10: in place, endpoint by endpoint, drained by acknowledgement
            Load load = Load.start(lb);
            var run = wharf.cli("release", "rel", "--version", "v2", "--wait");
            load.close();
            assertThat(run.exit()).as(run.out() + run.err()).isZero();
            assertThat(load.failures()).as("failed requests during the release").isEmpty();
            assertThat(load.ok()).isGreaterThan(100);
            awaitVersions(wharf, "v2", 3);
            JsonNode release =
                    json(wharf.cli("describe", "release", id(run), "-o", "json").out());
            assertThat(release.get("status").asText()).isEqualTo("COMPLETED");
            List<JsonNode> eps = new ArrayList<>();
            release.get("endpoints").forEach(eps::add);
            for (JsonNode e : eps) {
                assertThat(e.get("step").asText()).isEqualTo("DONE");
                assertThat(e.get("drain").asText())
                        .startsWith("acknowledged by ")
                        .contains("load balancer of local");
                assertThat(steps(e)).containsExactly("PENDING", "DRAINING", "CHECKING", "DONE");
            }
            // one endpoint at a time: each began draining once the one before was done
            for (int i = 1; i < eps.size(); i++) {
                assertThat(eps.get(i).get("steps").get("DRAINING").asText())
                        .isGreaterThanOrEqualTo(
                                eps.get(i - 1).get("steps").get("DONE").asText());
            }
            assertThat(json(wharf.http()
                                    .get("/v1/namespaces/default/services/rel/spec")
                                    .body())
                            .get("image")
                            .asText())
                    .isEqualTo("demo:v2");

            // 001.9: start-first back to v1, each new endpoint watched beside the others before the switch; while
            // it runs (each watch alone takes 3 s), a second release of the service is refused, naming it
            List<String> before = running(wharf);
            load = Load.start(lb);
            run = wharf.cli("release", "rel", "--version", "v1", "--mode", "start-first", "--watch", "3s");
            assertThat(run.exit()).as(run.out() + run.err()).isZero();
            String startFirst = id(run);
            var second = wharf.cli("release", "rel", "--version", "v2");
            assertThat(second.exit()).isEqualTo(1);
            assertThat(second.err()).contains("409", "release " + startFirst + " is running on default/rel");
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> !status(wharf, startFirst).equals("RUNNING"));
            load.close();
            assertThat(status(wharf, startFirst))
                    .as(() -> describe(wharf, startFirst))
                    .isEqualTo("COMPLETED");
            assertThat(load.failures())
                    .as("failed requests during the start-first release")
                    .isEmpty();
            awaitVersions(wharf, "v1", 3);
            await().atMost(Duration.ofSeconds(20)).until(() -> running(wharf).size() == 3);
            assertThat(running(wharf)).doesNotContainAnyElementsOf(before);
            for (JsonNode e :
                    json(wharf.http().get("/v1/releases/" + startFirst).body()).get("endpoints")) {
                assertThat(steps(e)).containsExactly("PENDING", "STARTING", "WATCHING", "RETIRING", "DONE");
                assertThat(e.get("watch").asText())
                        .containsPattern("^\\d+ requests, 0 failed, median [0-9.]+ ms")
                        .contains("warm-up");
            }

            // a version that fails its health checks is rolled back, and the release stops
            Path jar = Path.of("..", "wharf-demo", "target", "demo.jar");
            assertThat(wharf.cli(
                                    "image",
                                    "push",
                                    "demo:bad",
                                    jar.toString(),
                                    "--cmd",
                                    "sh -c 'DEMO_FAIL_HEALTH=true exec java -jar demo.jar'")
                            .exit())
                    .isZero();
            var bad = wharf.cli("release", "rel", "--version", "bad", "--health-checks", "2", "--wait");
            assertThat(bad.exit()).as(bad.out() + bad.err()).isEqualTo(1);
            assertThat(bad.out()).contains("FAILED", "failed 2 health checks; rolled back to v1");
            awaitVersions(wharf, "v1", 3);

            // a version slow to open its port (here 2.5 s, against 2 checks 300 ms apart) is not a failed one:
            // checks count once something listens
            assertThat(wharf.cli(
                                    "image",
                                    "push",
                                    "demo:slow",
                                    jar.toString(),
                                    "--cmd",
                                    "sh -c 'DEMO_START_DELAY_MS=2500 exec java -jar demo.jar'")
                            .exit())
                    .isZero();
            var slow = wharf.cli("release", "rel", "--version", "slow", "--health-checks", "2", "--wait");
            assertThat(slow.exit()).as(slow.out() + slow.err()).isZero();
            awaitVersions(wharf, "slow", 3);

            // bad input, every field named
            assertThat(wharf.cli("release", "rel", "--version", "v9").err()).contains("demo:v9 has not been pushed");
            assertThat(wharf.cli("release", "rel", "--version", "v2", "--parallelism", "7", "--mode", "sideways")
                            .err())
                    .contains("parallelism: 7 (expected: 1..3", "mode: 'sideways' (expected: in-place or start-first)");
            assertThat(wharf.cli("release", "nope", "--version", "v1").err()).contains("404");
        }
    }

    private static String describe(WharfProcess wharf, String id) {
        try {
            return wharf.http().get("/v1/releases/" + id).body();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static String status(WharfProcess wharf, String id) throws Exception {
        return json(wharf.http().get("/v1/releases/" + id).body()).get("status").asText();
    }

    private static String id(WharfProcess.Result run) {
        return run.out().lines().findFirst().orElseThrow().split(" ")[1];
    }

    private static List<String> steps(JsonNode endpoint) {
        List<String> order = new ArrayList<>();
        endpoint.get("steps").fieldNames().forEachRemaining(order::add);
        return order;
    }

    private static List<String> running(WharfProcess wharf) throws Exception {
        List<String> out = new ArrayList<>();
        json(wharf.http().get("/v1/containers").body()).get("containers").forEach(c -> {
            if (c.get("service").asText().equals("rel")
                    && c.get("desired").asText().equals("RUNNING"))
                out.add(c.get("id").asText());
        });
        return out;
    }

    private static void awaitVersions(WharfProcess wharf, String version, int n) {
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            int count = 0;
            for (JsonNode e : json(wharf.http()
                            .get("/v1/namespaces/default/services/rel/endpoints")
                            .body())
                    .get("endpoints")) {
                if (e.get("state").asText().equals("UP")
                        && e.get("version").asText().equals(version)) count++;
            }
            return count == n;
        });
    }

    private static JsonNode json(String body) throws Exception {
        return JSON.readTree(body);
    }
}
