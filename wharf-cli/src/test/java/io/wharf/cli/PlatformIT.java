package io.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** wharf up, the process runtime and a second agent, end to end, as real processes. */
class PlatformIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String LOCAL_POOL = "127.0.21.0/24";
    static final String SECOND_POOL = "127.0.22.0/24";

    @TempDir
    Path data;

    @Test
    @DisplayName("004.1-004.3, 000.6, 001.3, 001.5, 001.7: containers from image:version on their own IPs, registration"
            + " paused and resumed, replaced in place, restarted, adopted, and nothing lost")
    void containersEndToEnd() throws Exception {
        try (WharfProcess wharf = new WharfProcess(data, LOCAL_POOL).start()) {
            // 004.2: a 3-replica service from image demo:v1 (pushed by wharf up)
            Path spec = data.resolve("web.yaml");
            Files.writeString(spec, """
                    name: web
                    image: demo:v1
                    replicas: 3
                    ports:
                      - port: 8080
                        protocol: HTTP
                    health:
                      path: /health
                      interval: 300ms
                    """);
            assertThat(wharf.cli("apply", "-f", spec.toString()).exit()).isZero();
            Map<String, JsonNode> web = awaitUp(wharf, "web", 3);
            // 004.3, 004.8: each its own IP, all on the same port
            assertThat(web.values()).extracting(e -> e.get("port").asInt()).containsOnly(8080);
            assertThat(web.values().stream().map(e -> e.get("ip").asText()).collect(Collectors.toSet()))
                    .hasSize(3)
                    .allMatch(ip -> ip.startsWith("127.0.21."));
            // 000.6: every container is in the container table with host, ip, image
            JsonNode table =
                    json(wharf.cli("get", "containers", "-o", "json").out()).get("containers");
            List<JsonNode> webRows = rows(table, "web");
            assertThat(webRows).hasSize(3).allSatisfy(c -> {
                assertThat(c.get("host").asText()).isEqualTo("local");
                assertThat(c.get("image").asText()).isEqualTo("demo:v1");
                assertThat(c.get("state").asText()).isEqualTo("RUNNING");
            });
            assertThat(wharf.containerProcesses()).hasSize(5); // 3 web + the 2 demo replicas of wharf up

            // 001.3/001.7: the agent stops registering a paused endpoint, and registers it again when resumed
            awaitUp(wharf, "demo", 2);
            String endpoint = "/v1/namespaces/default/services/demo/endpoints/127.0.21.2_8080";
            var paused =
                    wharf.http().put("/v1/containers/default.demo.0/registration", "{\"registration\":\"PAUSED\"}");
            assertThat(paused.statusCode()).isEqualTo(200);
            assertThat(json(paused.body()).get("registration").asText()).isEqualTo("PAUSED");
            // what a release does next: take the endpoint out (its agent, told of the pause, may have done so
            // already); a paused agent must not put it back
            assertThat(wharf.http().delete(endpoint).statusCode()).isIn(200, 404);
            await().during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> wharf.http().get(endpoint).statusCode() == 404);
            assertThat(wharf.http()
                            .put("/v1/containers/default.demo.0/registration", "{\"registration\":\"ACTIVE\"}")
                            .statusCode())
                    .isEqualTo(200);
            awaitUp(wharf, "demo", 2);
            // an active endpoint taken out from outside is put back by its agent: it converges on the registry
            String other = "/v1/namespaces/default/services/demo/endpoints/127.0.21.3_8080";
            assertThat(wharf.cli("deregister", "demo", "127.0.21.3_8080").exit())
                    .isZero();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> wharf.http().get(other).statusCode() == 200);
            awaitUp(wharf, "demo", 2);
            assertThat(wharf.http()
                            .put("/v1/containers/default.demo.0/registration", "{\"registration\":\"SOMETIMES\"}")
                            .statusCode())
                    .isEqualTo(400);
            var logs = wharf.cli(
                    "logs", "default.demo.0", "--data", data.resolve("agent").toString());
            assertThat(logs.out()).contains("demo version=v1 instance=default.demo.0 listening on 127.0.21.2:8080");

            // 001.5: another version of its image: the agent replaces the container in place, same IP and port
            Map<String, Long> before = pids(wharf, null);
            var replaced = wharf.http().put("/v1/containers/default.demo.0/image", "{\"version\":\"v2\"}");
            assertThat(replaced.statusCode()).isEqualTo(200);
            assertThat(json(replaced.body()).get("image").asText()).isEqualTo("demo:v2");
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                JsonNode e = json(wharf.http().get(endpoint).body());
                assertThat(e.get("version").asText()).isEqualTo("v2");
                assertThat(e.get("state").asText()).isEqualTo("UP");
                // a new process (as its agent reports it), the other replica untouched
                Map<String, Long> after = pids(wharf, null);
                assertThat(after.get("default.demo.0")).isNotEqualTo(before.get("default.demo.0"));
                assertThat(after.get("default.demo.1")).isEqualTo(before.get("default.demo.1"));
            });
            var unknown = wharf.http().put("/v1/containers/default.demo.0/image", "{\"version\":\"v9\"}");
            assertThat(unknown.statusCode()).isEqualTo(400);
            assertThat(unknown.body()).contains("demo:v9 has not been pushed");

            // kill -9 one container: restarted, endpoint back
            JsonNode victim = webRows.get(0);
            long oldPid = victim.get("observed").get("pid").asLong();
            ProcessHandle.of(oldPid).orElseThrow().destroyForcibly();
            String victimId = victim.get("id").asText();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode row =
                        json(wharf.http().get("/v1/containers/" + victimId).body());
                assertThat(row.get("observed").get("restarts").asInt()).isGreaterThanOrEqualTo(1);
                assertThat(row.get("observed").get("pid").asLong()).isNotEqualTo(oldPid);
                assertThat(row.get("observed").get("registered").asBoolean()).isTrue();
            });
            awaitUp(wharf, "web", 3);

            // a second host joins and receives containers
            String token = wharf.cli("token", "create", "--join").out().strip();
            Process second = wharf.startAgent("second", SECOND_POOL, token);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> hostState(wharf, "second").equals("READY"));
            Files.writeString(spec, Files.readString(spec).replace("replicas: 3", "replicas: 5"));
            assertThat(wharf.cli("apply", "-f", spec.toString()).exit()).isZero();
            Map<String, JsonNode> five = awaitUp(wharf, "web", 5);
            Set<String> onSecond = five.keySet().stream()
                    .filter(id -> id.startsWith("127.0.22."))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(onSecond).hasSize(2);
            Map<String, Long> pidsOnSecond = pids(wharf, "second");

            // stop the second agent: its endpoints leave the registry within 3 s
            second.destroy();
            long stoppedAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(6))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        JsonNode eps = json(wharf.http()
                                        .get("/v1/namespaces/default/services/web/endpoints")
                                        .body())
                                .get("endpoints");
                        return eps.findValuesAsText("id").stream().noneMatch(onSecond::contains);
                    });
            Duration gone = Duration.ofNanos(System.nanoTime() - stoppedAt);
            assertThat(gone).isLessThanOrEqualTo(Duration.ofMillis(3300));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> hostState(wharf, "second").equals("LOST"));
            assertThat(wharf.containerProcesses()).hasSize(7); // its containers keep running

            // restart it: the running containers are adopted, not duplicated; it joins again with the token the
            // host was given when it first joined, kept where only its owner can read it
            Path hostToken = data.resolve("agent-second").resolve("host.token");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(hostToken)))
                    .isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(hostToken.getParent())))
                    .isEqualTo("rwx------");
            wharf.startAgent("second", SECOND_POOL, "wj-the-join-token-is-not-needed-again");
            awaitUp(wharf, "web", 5);
            assertThat(pids(wharf, "second")).isEqualTo(pidsOnSecond);
            assertThat(wharf.containerProcesses()).hasSize(7);

            // restart the server (kill -9): nothing lost
            Map<String, Long> allPids = pids(wharf, null);
            wharf.kill();
            wharf.start();
            awaitUp(wharf, "web", 5);
            assertThat(pids(wharf, null)).isEqualTo(allPids);
            // the restarted agent counts the killed container's restarts on from where the last one stopped
            assertThat(json(wharf.http().get("/v1/containers/" + victimId).body())
                            .get("observed")
                            .get("restarts")
                            .asInt())
                    .isGreaterThanOrEqualTo(1);
            assertThat(wharf.containerProcesses()).hasSize(7);
            assertThat(json(wharf.cli("get", "images", "-o", "json").out())
                            .get("images")
                            .findValuesAsText("image"))
                    .containsExactly("demo:v1", "demo:v2");
        }
    }

    @Test
    @DisplayName(
            "004.4-004.6 the quickstart's demo answers at its published port, replicas in turn, fed by the registry")
    void loadBalancerEndToEnd() throws Exception {
        try (WharfProcess wharf = new WharfProcess(data, "127.0.26.0/24").start()) {
            awaitUp(wharf, "demo", 2);
            String lb = "http://" + wharf.lbAddress() + ":18080";
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            Map<String, Integer> instances = new TreeMap<>();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> get(http, lb + "/").statusCode() == 200);
            // the load balancer may still be applying the second endpoint: wait until both answer
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                instances.clear();
                for (int i = 0; i < 20; i++) {
                    HttpResponse<String> r = get(http, lb + "/");
                    assertThat(r.statusCode()).isEqualTo(200);
                    instances.merge(json(r.body()).get("instance").asText(), 1, Integer::sum);
                }
                return instances.size() == 2;
            });
            assertThat(instances).containsOnlyKeys("default.demo.0", "default.demo.1");
            assertThat(instances.values()).containsOnly(10);

            // it watches the registry as lb@local and acknowledges what it applied
            long revision = json(wharf.http()
                            .get("/v1/namespaces/default/services/demo/endpoints")
                            .body())
                    .get("revision")
                    .asLong();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                JsonNode watchers = json(wharf.http()
                        .get("/v1/namespaces/default/services/demo/watchers")
                        .body());
                assertThat(watchers.get("pending")).isEmpty();
                assertThat(watchers.get("watchers").findValuesAsText("id")).contains("lb@local");
            });
            // and reports, through its agent, the revision it serves and what is in flight
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                JsonNode load = json(wharf.http()
                        .get("/v1/namespaces/default/services/demo/load")
                        .body());
                JsonNode local = load.get("loadBalancers").get(0);
                assertThat(local.get("host").asText()).isEqualTo("local");
                assertThat(local.get("revision").asLong()).isGreaterThanOrEqualTo(revision);
                assertThat(local.get("inFlight").size()).isEqualTo(2);
            });
            assertThat(wharf.http().get("/metrics").body())
                    .contains("wharf_lb_requests_seconds_count{endpoint=\"127.0.26.2_8080\"");

            // 002.7: the container table shows what each container uses, its traffic through the load balancer too
            try (Load load = Load.start(lb + "/")) {
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    JsonNode c = json(
                            wharf.http().get("/v1/containers/default.demo.0").body());
                    JsonNode usage = c.get("usage");
                    assertThat(usage).as(c.toString()).isNotNull();
                    assertThat(usage.get("cpuCores").asDouble()).isPositive();
                    assertThat(usage.get("memoryBytes").asLong()).isGreaterThan(1L << 20);
                    // its directory holds the demo's jar
                    assertThat(usage.get("diskBytes").asLong()).isGreaterThan(1_000);
                    assertThat(usage.get("netInBytesPerSecond").asDouble()).isPositive();
                    assertThat(usage.get("netOutBytesPerSecond").asDouble())
                            .isGreaterThan(usage.get("netInBytesPerSecond").asDouble());
                });
                assertThat(load.failures()).isEmpty();
            }
            assertThat(wharf.cli("get", "containers").out()).contains("CPU", "MEMORY", "DISK R/W /s", "NET IN/OUT /s");

            // a second service takes its own port; another one on the demo's port and path is refused
            Path spec = data.resolve("web.yaml");
            Files.writeString(spec, """
                    name: web
                    image: demo:v2
                    replicas: 1
                    ports:
                      - port: 8080
                        external: 18081
                    health:
                      path: /health
                      interval: 300ms
                    loadBalancer:
                      slowStart: 5s
                    """);
            assertThat(wharf.cli("apply", "-f", spec.toString()).exit()).isZero();
            // the spec's balancing reaches the host's load balancer, which says how it balances the service
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode hosts = json(wharf.http().get("/v1/hosts").body()).get("hosts");
                JsonNode web = null;
                for (JsonNode s : hosts.get(0).get("loadBalancer").get("services")) {
                    if (s.get("service").asText().equals("web")) web = s;
                }
                assertThat(web).isNotNull();
                assertThat(web.get("rule").asText()).isEqualTo("round-robin");
                assertThat(web.get("slowStart").asText()).isEqualTo("5s");
            });
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> get(
                            http, "http://" + wharf.lbAddress() + ":18081/")
                    .body()
                    .contains("\"v2\""));
            Files.writeString(spec, "name: clash\nimage: demo:v1\nports:\n  - port: 8080\n    external: 18080\n");
            var clash = wharf.cli("apply", "-f", spec.toString());
            assertThat(clash.exit()).isEqualTo(1);
            assertThat(clash.err())
                    .contains("external port 18080 with context path / is already published by default/demo");

            // a second host's load balancer keeps following the registry across a kill -9 of the server
            String token = wharf.cli("token", "create", "--join").out().trim();
            wharf.startAgent("edge", "127.0.27.0/24", token);
            String edge = "http://" + WharfProcess.lbAddress("127.0.27.0/24") + ":18080";
            await().atMost(Duration.ofSeconds(20))
                    .ignoreExceptions()
                    .until(() -> get(http, edge + "/").statusCode() == 200);
            // under load: not one request fails while the server is down and restarts, because the restarted
            // server tells no load balancer that the demo has no endpoints before its agents registered them
            try (Load load = Load.start(edge + "/")) {
                await().atMost(Duration.ofSeconds(10)).until(() -> load.ok() >= 20);
                wharf.kill();
                long downAt = load.ok();
                wharf.start();
                awaitUp(wharf, "demo", 2);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    JsonNode watchers = json(wharf.http()
                            .get("/v1/namespaces/default/services/demo/watchers")
                            .body());
                    assertThat(watchers.get("watchers").findValuesAsText("id")).contains("lb@edge");
                    assertThat(watchers.get("pending")).isEmpty();
                });
                await().atMost(Duration.ofSeconds(10)).until(() -> load.ok() >= downAt + 20);
                load.close();
                assertThat(load.failures())
                        .as(
                                "failed requests across the restart; the edge agent's log:%n%s%nthe server's:%n%s",
                                Files.readString(data.resolve("agent-edge").resolve("agent.log")), wharf.serverOutput())
                        .isEmpty();
            }
            Files.writeString(spec, """
                    name: demo
                    image: demo:v1
                    replicas: 4
                    ports:
                      - port: 8080
                        external: 18080
                    health:
                      path: /health
                      interval: 500ms
                    labels:
                      group: demo
                    """);
            assertThat(wharf.cli("apply", "-f", spec.toString()).exit()).isZero();
            Set<String> seen = new TreeSet<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (int i = 0; i < 8; i++) {
                    HttpResponse<String> r = get(http, edge + "/");
                    if (r.statusCode() == 200)
                        seen.add(json(r.body()).get("instance").asText());
                }
                return seen.size() == 4;
            });
            assertThat(seen).containsExactly("default.demo.0", "default.demo.1", "default.demo.2", "default.demo.3");

            // the edge agent's own /metrics: its load balancer's meters per endpoint, and its JVM's
            String metrics = get(http, "http://" + WharfProcess.lbAddress("127.0.27.0/24") + ":7421/metrics")
                    .body();
            assertThat(metrics).contains("jvm_memory_used_bytes");
            assertThat(metrics.lines()
                            .filter(l -> l.startsWith("wharf_lb_requests_seconds_count{")
                                    && l.contains("service=\"demo\"")
                                    && Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) >= 1))
                    .hasSizeGreaterThanOrEqualTo(4);
            // a second agent cannot take the same metrics address, and says so
            Process second = wharf.startAgent(
                    "clash", "127.0.28.0/24", token, WharfProcess.lbAddress("127.0.27.0/24") + ":7421");
            assertThat(second.waitFor(30, java.util.concurrent.TimeUnit.SECONDS))
                    .isTrue();
            assertThat(second.exitValue()).isEqualTo(1);
            assertThat(Files.readString(data.resolve("agent-clash").resolve("agent.log")))
                    .contains("error: cannot serve metrics on 127.0.27.1:7421: ")
                    .contains("give another address with --metrics IP:PORT, or --no-metrics");
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, JsonNode> awaitUp(WharfProcess wharf, String service, int n) {
        Map<String, JsonNode> up = new HashMap<>();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    up.clear();
                    JsonNode eps = json(wharf.http()
                                    .get("/v1/namespaces/default/services/" + service + "/endpoints")
                                    .body())
                            .get("endpoints");
                    eps.forEach(e -> {
                        if (e.get("state").asText().equals("UP"))
                            up.put(e.get("id").asText(), e);
                    });
                    return up.size() == n;
                });
        return up;
    }

    private static List<JsonNode> rows(JsonNode table, String service) {
        List<JsonNode> out = new ArrayList<>();
        table.forEach(c -> {
            if (c.get("service").asText().equals(service)) out.add(c);
        });
        return out;
    }

    private static String hostState(WharfProcess wharf, String host) throws Exception {
        for (JsonNode h : json(wharf.http().get("/v1/hosts").body()).get("hosts")) {
            if (h.get("id").asText().equals(host)) return h.get("state").asText();
        }
        return "ABSENT";
    }

    private static Map<String, Long> pids(WharfProcess wharf, String host) throws Exception {
        Map<String, Long> out = new HashMap<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            out.clear();
            boolean all = true;
            for (JsonNode c : json(wharf.http().get("/v1/containers").body()).get("containers")) {
                if (host != null && !c.get("host").asText().equals(host)) continue;
                JsonNode o = c.get("observed");
                if (o == null || o.isNull() || o.get("pid").asLong() == 0) all = false;
                else out.put(c.get("id").asText(), o.get("pid").asLong());
            }
            return all;
        });
        return out;
    }

    static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }
}
