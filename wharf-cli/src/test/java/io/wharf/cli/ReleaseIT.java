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
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI lb = URI.create("http://" + wharf.lbAddress() + ":18095/");
            await().atMost(Duration.ofSeconds(10))
                    .ignoreExceptions()
                    .until(() -> get(http, lb).statusCode() == 200);
            AtomicBoolean loading = new AtomicBoolean(true);
            AtomicInteger served = new AtomicInteger();
            Queue<String> failures = new ConcurrentLinkedQueue<>();
            List<Thread> load = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                load.add(Thread.ofVirtual().start(() -> {
                    while (loading.get()) {
                        try {
                            HttpResponse<String> r = get(http, lb);
                            if (r.statusCode() == 200) served.incrementAndGet();
                            else failures.add(r.statusCode() + " " + r.body());
                        } catch (Exception e) {
                            failures.add(e.toString());
                        }
                    }
                }));
            }
            var run = wharf.cli("release", "rel", "--version", "v2", "--wait");
            loading.set(false);
            for (Thread t : load) t.join();
            assertThat(run.exit()).as(run.out() + run.err()).isZero();
            assertThat(failures).as("failed requests during the release").isEmpty();
            assertThat(served.get()).isGreaterThan(200);
            awaitVersions(wharf, "v2", 3);
            String id = run.out().lines().findFirst().orElseThrow().split(" ")[1];
            JsonNode release =
                    json(wharf.cli("describe", "release", id, "-o", "json").out());
            assertThat(release.get("status").asText()).isEqualTo("COMPLETED");
            for (JsonNode e : release.get("endpoints")) {
                assertThat(e.get("step").asText()).isEqualTo("DONE");
                assertThat(e.get("drain").asText()).isEqualTo("acknowledged");
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
            HttpResponse<InputStream> stuck = http.send(
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
            var run = wharf.cli("release", "rel", "--version", "v2");
            assertThat(run.exit()).isZero();
            String id = run.out().lines().findFirst().orElseThrow().split(" ")[1];
            wharf.kill();
            wharf.start();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> json(wharf.http().get("/v1/releases/" + id).body())
                            .get("status")
                            .asText()
                            .equals("COMPLETED"));
            awaitVersions(wharf, "v2", 2);
            for (JsonNode e :
                    json(wharf.http().get("/v1/releases/" + id).body()).get("endpoints")) {
                assertThat(e.get("step").asText()).isEqualTo("DONE");
            }
        }
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
