package io.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smooth releases (claims 001.1–001.10), in place, end to end, as real processes. */
class ReleaseIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    @Test
    @DisplayName("001.1-001.8, 001.10: every endpoint replaced under load with 0 failed requests, drains acknowledged;"
            + " a watcher that never acknowledges ends a drain at its timeout; failing checks roll an endpoint back")
    void inPlaceReleases() throws Exception {
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

            // steady load through the load balancer for the whole release
            Load load = new Load(URI.create("http://" + wharf.lbAddress() + ":18095/"));
            var run = wharf.cli("release", "rel", "--version", "v2", "--wait");
            load.stop();
            assertThat(run.exit()).as(run.out() + run.err()).isZero();
            assertThat(load.failures).as("failed requests during the release").isEmpty();
            assertThat(load.served.get()).isGreaterThan(200);
            awaitVersions(wharf, "v2", 3);
            String id = run.out().lines().findFirst().orElseThrow().split(" ")[1];
            JsonNode release =
                    json(wharf.cli("describe", "release", id, "-o", "json").out());
            assertThat(release.get("status").asText()).isEqualTo("COMPLETED");
            for (JsonNode e : release.get("endpoints")) {
                assertThat(e.get("step").asText()).isEqualTo("DONE");
                assertThat(e.get("drain").asText()).isEqualTo("acknowledged");
                // the load balancer's agent reports the applied removal at once, not at its next heartbeat
                assertThat(e.get("drainMillis").asLong()).isLessThan(700);
                List<String> order = new ArrayList<>();
                e.get("steps").fieldNames().forEachRemaining(order::add);
                assertThat(order).containsExactly("PENDING", "DRAINING", "CHECKING", "DONE");
            }
            // one endpoint at a time: each started draining only after the one before was done
            List<JsonNode> eps = new ArrayList<>();
            release.get("endpoints").forEach(eps::add);
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

            // bad requests
            assertThat(wharf.cli("release", "rel", "--version", "v9").err()).contains("demo:v9 has not been pushed");
            assertThat(wharf.cli("release", "rel", "--version", "v1", "--parallelism", "7")
                            .err())
                    .contains("parallelism: 7 (expected: 1..3");
            assertThat(wharf.cli("release", "nope", "--version", "v1").err()).contains("404");

            // a watcher that never acknowledges: each drain ends at its timeout, and the release says so
            Path jar = Path.of("..", "wharf-demo", "target", "demo.jar");
            assertThat(wharf.cli("image", "push", "demo:v3", jar.toString()).exit())
                    .isZero();
            HttpResponse<InputStream> stuck = load.http.send(
                    HttpRequest.newBuilder(URI.create(
                                    wharf.url() + "/v1/namespaces/default/services/rel/endpoints?watcher=stuck"))
                            .header("Accept", "text/event-stream")
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream ignored = stuck.body()) {
                var timed = wharf.cli(
                        "release", "rel", "--version", "v3", "--parallelism", "3", "--drain-timeout", "2s", "--wait");
                assertThat(timed.exit()).as(timed.out() + timed.err()).isZero();
                String timedId = timed.out().lines().findFirst().orElseThrow().split(" ")[1];
                for (JsonNode e :
                        json(wharf.http().get("/v1/releases/" + timedId).body()).get("endpoints")) {
                    assertThat(e.get("drain").asText()).startsWith("timeout").contains("watcher stuck");
                    assertThat(e.get("drainMillis").asLong()).isBetween(2000L, 4000L);
                }
            }
            awaitVersions(wharf, "v3", 3);

            // a version whose health checks fail: the first endpoint is rolled back and the release stops
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
            assertThat(bad.exit()).isEqualTo(1);
            assertThat(bad.out()).contains("FAILED").contains("failed 2 health checks; rolled back to v3");
            awaitVersions(wharf, "v3", 3);
            String badId = bad.out().lines().findFirst().orElseThrow().split(" ")[1];
            Map<String, String> steps = new TreeMap<>();
            json(wharf.http().get("/v1/releases/" + badId).body())
                    .get("endpoints")
                    .forEach(e ->
                            steps.put(e.get("container").asText(), e.get("step").asText()));
            assertThat(steps.values()).containsExactly("ROLLED_BACK", "PENDING", "PENDING");

            // all at once: every endpoint under way is finished (rolled back) before the release stops
            var wide = wharf.cli(
                    "release", "rel", "--version", "bad", "--parallelism", "3", "--health-checks", "1", "--wait");
            assertThat(wide.exit()).isEqualTo(1);
            String wideId = wide.out().lines().findFirst().orElseThrow().split(" ")[1];
            JsonNode wideRelease =
                    json(wharf.http().get("/v1/releases/" + wideId).body());
            assertThat(wideRelease.get("status").asText()).isEqualTo("FAILED");
            wideRelease.get("endpoints").forEach(e -> assertThat(e.get("step").asText())
                    .isEqualTo("ROLLED_BACK"));
            awaitVersions(wharf, "v3", 3);
        }
    }

    @Test
    @DisplayName("a release carries on from its stored step after kill -9 of the server mid-release")
    void resumesAfterKill() throws Exception {
        try (WharfProcess wharf = new WharfProcess(data, "127.0.35.0/24").start()) {
            Path spec = data.resolve("rel.yaml");
            Files.writeString(spec, """
                    name: rel
                    image: demo:v1
                    replicas: 2
                    ports: [{port: 8080, external: 18096}]
                    health: {path: /health, interval: 300ms}
                    """);
            assertThat(wharf.cli("apply", "-f", spec.toString()).exit()).isZero();
            awaitVersions(wharf, "v1", 2);
            // a version that takes 3 s to open its port, so that the release is surely under way below
            assertThat(wharf.cli(
                                    "image",
                                    "push",
                                    "demo:late",
                                    Path.of("..", "wharf-demo", "target", "demo.jar")
                                            .toString(),
                                    "--cmd",
                                    "sh -c 'DEMO_START_DELAY_MS=3000 exec java -jar demo.jar'")
                            .exit())
                    .isZero();
            var run = wharf.cli("release", "rel", "--version", "late");
            assertThat(run.exit()).isZero();
            String id = run.out().lines().findFirst().orElseThrow().split(" ")[1];
            // one release of a service at a time
            var second = wharf.cli("release", "rel", "--version", "v2");
            assertThat(second.exit()).isNotZero();
            assertThat(second.err()).contains("409").contains("release " + id + " of default/rel is running");
            JsonNode before = json(wharf.http().get("/v1/releases/" + id).body());
            assertThat(before.get("status").asText()).isEqualTo("RUNNING");
            wharf.kill();
            wharf.start();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> json(wharf.http().get("/v1/releases/" + id).body())
                            .get("status")
                            .asText()
                            .equals("COMPLETED"));
            awaitVersions(wharf, "late", 2);
            for (JsonNode e :
                    json(wharf.http().get("/v1/releases/" + id).body()).get("endpoints")) {
                assertThat(e.get("step").asText()).isEqualTo("DONE");
            }
        }
    }

    @Test
    @DisplayName("001.9 start-first: new endpoints start beside the old, are watched, and the service switches to them"
            + " with 0 failed requests; one that answers slowly sends traffic back to the old endpoint; a kill -9 of"
            + " the server mid-release places each new container once")
    void startFirst() throws Exception {
        try (WharfProcess wharf = new WharfProcess(data, "127.0.36.0/24").start()) {
            Path spec = data.resolve("rel.yaml");
            Files.writeString(spec, """
                    name: rel
                    image: demo:v1
                    replicas: 2
                    ports: [{port: 8080, external: 18097}]
                    health: {path: /health, interval: 300ms}
                    """);
            assertThat(wharf.cli("apply", "-f", spec.toString()).exit()).isZero();
            awaitVersions(wharf, "v1", 2);
            List<String> before = running(wharf);
            Load load = new Load(URI.create("http://" + wharf.lbAddress() + ":18097/"));

            var run =
                    wharf.cli("release", "rel", "--version", "v2", "--mode", "start-first", "--watch", "2s", "--wait");
            load.stop();
            assertThat(run.exit()).as(run.out() + run.err()).isZero();
            assertThat(load.failures).as("failed requests during the release").isEmpty();
            assertThat(load.served.get()).isGreaterThan(100);
            awaitVersions(wharf, "v2", 2);
            // new containers, not the old ones replaced in place (an IP an old one freed may be taken again)
            await().atMost(Duration.ofSeconds(20)).until(() -> running(wharf).size() == 2);
            assertThat(running(wharf)).doesNotContainAnyElementsOf(before);
            String id = run.out().lines().findFirst().orElseThrow().split(" ")[1];
            JsonNode release = json(wharf.http().get("/v1/releases/" + id).body());
            assertThat(release.get("status").asText()).isEqualTo("COMPLETED");
            for (JsonNode e : release.get("endpoints")) {
                List<String> order = new ArrayList<>();
                e.get("steps").fieldNames().forEachRemaining(order::add);
                assertThat(order).containsExactly("PENDING", "STARTING", "WATCHING", "RETIRING", "DONE");
                assertThat(e.get("watch").asText()).containsPattern("^\\d+ requests, 0 failed, mean ");
                assertThat(e.get("drain").asText()).isEqualTo("acknowledged");
            }
            // the old containers are stopped and not put back: two run, on v2, and the spec says so
            JsonNode specNow = json(
                    wharf.http().get("/v1/namespaces/default/services/rel/spec").body());
            assertThat(specNow.get("image").asText()).isEqualTo("demo:v2");
            assertThat(specNow.get("replicas").asInt()).isEqualTo(2);

            // a version that passes its health checks but answers slowly: traffic goes back to the old endpoint
            Path jar = Path.of("..", "wharf-demo", "target", "demo.jar");
            assertThat(wharf.cli(
                                    "image",
                                    "push",
                                    "demo:slow",
                                    jar.toString(),
                                    "--cmd",
                                    "sh -c 'DEMO_LATENCY_MS=200 exec java -jar demo.jar'")
                            .exit())
                    .isZero();
            List<String> onV2 = endpoints(wharf);
            Load again = new Load(URI.create("http://" + wharf.lbAddress() + ":18097/"));
            var slow = wharf.cli(
                    "release", "rel", "--version", "slow", "--mode", "start-first", "--watch", "2s", "--wait");
            again.stop();
            assertThat(slow.exit()).as(slow.out() + slow.err()).isEqualTo(1);
            assertThat(slow.out()).contains("FAILED").containsPattern("answered in \\d+\\.\\d ms on average");
            assertThat(again.failures).as("failed requests during the rollback").isEmpty();
            String slowId = slow.out().lines().findFirst().orElseThrow().split(" ")[1];
            Map<String, String> steps = new TreeMap<>();
            json(wharf.http().get("/v1/releases/" + slowId).body())
                    .get("endpoints")
                    .forEach(e ->
                            steps.put(e.get("container").asText(), e.get("step").asText()));
            assertThat(steps.values()).containsExactly("ROLLED_BACK", "PENDING");
            awaitVersions(wharf, "v2", 2);
            assertThat(endpoints(wharf)).containsExactlyInAnyOrderElementsOf(onV2);
            await().atMost(Duration.ofSeconds(20)).until(() -> running(wharf).size() == 2);

            // bad input
            assertThat(wharf.cli("release", "rel", "--version", "v1", "--mode", "sideways")
                            .err())
                    .contains("mode: 'sideways' (expected: in-place or start-first)");
            assertThat(wharf.cli("release", "rel", "--version", "v1", "--mode", "start-first", "--no-rollback")
                            .err())
                    .contains("rollback: false");
            assertThat(wharf.cli("release", "rel", "--version", "v1", "--mode", "start-first", "--watch", "0s")
                            .err())
                    .contains("watch: PT0S (expected: 1s..30m)");

            // kill -9 of the server while the first new container starts (it takes 3 s to open its port): each is
            // placed once, the release ends
            assertThat(wharf.cli(
                                    "image",
                                    "push",
                                    "demo:late",
                                    jar.toString(),
                                    "--cmd",
                                    "sh -c 'DEMO_START_DELAY_MS=3000 exec java -jar demo.jar'")
                            .exit())
                    .isZero();
            var resumed = wharf.cli("release", "rel", "--version", "late", "--mode", "start-first", "--watch", "1s");
            assertThat(resumed.exit()).isZero();
            String resumedId = resumed.out().lines().findFirst().orElseThrow().split(" ")[1];
            await().atMost(Duration.ofSeconds(20)).until(() -> json(wharf.http()
                            .get("/v1/releases/" + resumedId)
                            .body())
                    .get("endpoints")
                    .get(0)
                    .get("step")
                    .asText()
                    .equals("STARTING"));
            wharf.kill();
            wharf.start();
            await().atMost(Duration.ofSeconds(90)).until(() -> json(wharf.http()
                            .get("/v1/releases/" + resumedId)
                            .body())
                    .get("status")
                    .asText()
                    .equals("COMPLETED"));
            awaitVersions(wharf, "late", 2);
            await().atMost(Duration.ofSeconds(20)).until(() -> running(wharf).size() == 2);
            // what runs is exactly the new containers the release recorded: none placed twice
            List<String> replacements = new ArrayList<>();
            json(wharf.http().get("/v1/releases/" + resumedId).body())
                    .get("endpoints")
                    .forEach(e -> replacements.add(e.get("replacement").asText()));
            assertThat(running(wharf)).containsExactlyInAnyOrderElementsOf(replacements);
        }
    }

    @Test
    @DisplayName("a release carries on after kill -9 of the agent of an endpoint under way, once the agent is back")
    void resumesAfterAgentKill() throws Exception {
        try (WharfProcess wharf = new WharfProcess(data, "127.0.37.0/24").start()) {
            String token = wharf.cli("token", "create", "--join").out().trim();
            wharf.startAgent("edge", "127.0.38.0/24", token);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> json(wharf.http().get("/v1/hosts").body())
                                    .get("hosts")
                                    .size()
                            == 2);
            Path spec = data.resolve("rel.yaml");
            Files.writeString(spec, """
                    name: rel
                    image: demo:v1
                    replicas: 2
                    ports: [{port: 8080}]
                    health: {path: /health, interval: 300ms}
                    """);
            assertThat(wharf.cli("apply", "-f", spec.toString()).exit()).isZero();
            awaitVersions(wharf, "v1", 2);
            var run = wharf.cli("release", "rel", "--version", "v2", "--parallelism", "2", "--drain-timeout", "2s");
            assertThat(run.exit()).isZero();
            String id = run.out().lines().findFirst().orElseThrow().split(" ")[1];
            Process edge = wharf.startedAgents().get(0);
            edge.destroyForcibly();
            edge.waitFor();
            // without its agent the edge endpoint cannot be replaced: the release waits, it does not fail
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> {
                JsonNode r = json(wharf.http().get("/v1/releases/" + id).body());
                return r.get("status").asText().equals("RUNNING");
            });
            String edgeStep = null;
            for (JsonNode e :
                    json(wharf.http().get("/v1/releases/" + id).body()).get("endpoints")) {
                if (e.get("host").asText().equals("edge"))
                    edgeStep = e.get("step").asText();
            }
            assertThat(edgeStep).isIn("DRAINING", "CHECKING");

            wharf.startAgent("edge", "127.0.38.0/24", token);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> json(wharf.http().get("/v1/releases/" + id).body())
                            .get("status")
                            .asText()
                            .equals("COMPLETED"));
            awaitVersions(wharf, "v2", 2);
            for (JsonNode e :
                    json(wharf.http().get("/v1/releases/" + id).body()).get("endpoints")) {
                assertThat(e.get("step").asText()).isEqualTo("DONE");
                List<String> order = new ArrayList<>();
                e.get("steps").fieldNames().forEachRemaining(order::add);
                assertThat(order).containsExactly("PENDING", "DRAINING", "CHECKING", "DONE");
            }
        }
    }

    /** Steady load through the load balancer, counting what was served and what failed. */
    private static final class Load {
        final HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        final AtomicBoolean loading = new AtomicBoolean(true);
        final AtomicInteger served = new AtomicInteger();
        final Queue<String> failures = new ConcurrentLinkedQueue<>();
        final List<Thread> threads = new ArrayList<>();

        Load(URI uri) {
            await().atMost(Duration.ofSeconds(10))
                    .ignoreExceptions()
                    .until(() -> get(http, uri).statusCode() == 200);
            for (int i = 0; i < 4; i++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    while (loading.get()) {
                        try {
                            HttpResponse<String> r = get(http, uri);
                            if (r.statusCode() == 200) served.incrementAndGet();
                            else failures.add(r.statusCode() + " " + r.body());
                        } catch (Exception e) {
                            failures.add(e.toString());
                        }
                    }
                }));
            }
        }

        void stop() throws InterruptedException {
            loading.set(false);
            for (Thread t : threads) t.join();
        }
    }

    private static List<String> endpoints(WharfProcess wharf) throws Exception {
        List<String> out = new ArrayList<>();
        json(wharf.http().get("/v1/namespaces/default/services/rel/endpoints").body())
                .get("endpoints")
                .forEach(e -> out.add(e.get("id").asText()));
        return out;
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

    private static HttpResponse<String> get(HttpClient http, URI uri) throws Exception {
        return http.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
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
