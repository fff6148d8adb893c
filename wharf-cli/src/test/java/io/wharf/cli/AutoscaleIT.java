package io.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Autoscaling (claims 002.7, 004.7), end to end, as real processes under real load. */
class AutoscaleIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String POOL = "127.0.36.0/24";
    static final String SECOND_POOL = "127.0.37.0/24";

    @TempDir
    Path data;

    @Test
    @DisplayName("002.7/004.7 CPU load scales a service out and the load spreads; without it the service goes back"
            + " to min through drains with 0 failed requests; slow answers scale out; max is kept and a shortfall"
            + " said; a quiet agent freezes scale-in; steady load makes at most one change; kill -9 of the server"
            + " after a decision leaves no duplicate")
    void autoscales() throws Exception {
        try (WharfProcess wharf = new WharfProcess(data, POOL).start()) {
            String lb = "http://" + wharf.lbAddress() + ":";

            // steady: ~14 requests/s over 2 containers against 10 per container, for the whole run
            apply(wharf, "steady", 2, 18101, "", "{min: 1, max: 4, requestsPerSecond: 10}");
            awaitServing(wharf, "steady", 2);
            Instant steadySince = Instant.now();
            Load steady = Load.paced(lb + "18101/", 15);

            // CPU: 10 ms of CPU per request from four clients, against 50 % of a 0.2-core reservation
            apply(
                    wharf,
                    "cpu",
                    2,
                    18100,
                    "resources: {cpu: 0.2}\n",
                    "{min: 2, max: 4, cpu: 50%, scaleIn: {after: 5s}}");
            awaitServing(wharf, "cpu", 2);
            Load light = Load.paced(lb + "18100/", 20);
            Load heavy = Load.start(lb + "18100/work?cpuMs=10");
            await().atMost(Duration.ofSeconds(90)).until(() -> serving(wharf, "cpu") == 4);
            light.forgetInstances();
            await().atMost(Duration.ofSeconds(30)).until(() -> light.instances().size() == 4);
            heavy.close();
            // back to min, one container per scaleIn.after, each drained while the light load goes on
            await().atMost(Duration.ofSeconds(120)).until(() -> serving(wharf, "cpu") == 2 && rows(wharf, "cpu") == 2);
            light.close();
            assertThat(light.failures()).as("failed requests of the light load").isEmpty();
            assertThat(heavy.failures()).as("failed requests of the heavy load").isEmpty();
            assertThat(light.ok()).isGreaterThan(200);
            JsonNode cpu = autoscaler(wharf, "cpu");
            List<JsonNode> decisions = list(cpu.get("decisions"));
            assertThat(decisions).anySatisfy(d -> {
                assertThat(d.get("to").asInt()).isGreaterThan(d.get("from").asInt());
                assertThat(d.get("reason").asText()).startsWith("cpu ");
            });
            assertThat(decisions).anySatisfy(d -> {
                assertThat(d.get("to").asInt()).isLessThan(d.get("from").asInt());
                assertThat(d.get("reason").asText()).startsWith("low for ");
            });
            assertThat(decisions)
                    .allSatisfy(d -> assertThat(d.get("to").asInt()).isBetween(2, 4));
            List<JsonNode> scaleIns =
                    list(json(wharf.http().get("/v1/scale-ins").body()).get("scaleIns"));
            assertThat(scaleIns).isNotEmpty().allSatisfy(s -> {
                assertThat(s.get("status").asText()).isEqualTo("COMPLETED");
                assertThat(s.get("reason").asText()).startsWith("autoscaler: low for ");
                s.get("containers").forEach(c -> {
                    assertThat(c.get("step").asText()).isEqualTo("STOPPED");
                    assertThat(c.get("drain").asText()).startsWith("acknowledged by ");
                });
            });
            var get = wharf.cli("get", "autoscalers");
            assertThat(get.out()).contains("default/cpu", "default/steady", "cpu ");
            var describe = wharf.cli("describe", "autoscaler", "cpu");
            assertThat(describe.exit()).as(describe.err()).isZero();
            assertThat(describe.out()).contains("autoscaler of default/cpu", "low for ");
            assertThat(wharf.http().get("/metrics").body())
                    .contains("wharf_autoscaler_decisions_total{direction=\"up\",service=\"default/cpu\"}")
                    .contains("wharf_autoscaler_replicas{service=\"default/cpu\"}");

            // latency: every answer takes 150 ms against a p95 target of 100 ms
            apply(wharf, "slow", 1, 18102, "", "{min: 1, max: 2, latency: 100ms}");
            awaitServing(wharf, "slow", 1);
            Load slow = Load.start(lb + "18102/work?sleepMs=150");
            await().atMost(Duration.ofSeconds(60)).until(() -> serving(wharf, "slow") == 2);
            slow.close();
            assertThat(slow.failures()).isEmpty();
            assertThat(list(autoscaler(wharf, "slow").get("decisions")))
                    .anySatisfy(d -> assertThat(d.get("reason").asText()).startsWith("latency "));

            // no room: one container takes 60 % of the host's memory, so the ones the load asks for find none
            long hostMemoryMb = json(wharf.http().get("/v1/hosts").body())
                    .get("hosts")
                    .get(0)
                    .get("memoryMb")
                    .asLong();
            apply(
                    wharf,
                    "big",
                    1,
                    18103,
                    "resources: {cpu: 0.2, memory: " + (hostMemoryMb * 6 / 10) + "Mi}\n",
                    "{min: 1, max: 3, cpu: 50%}");
            awaitServing(wharf, "big", 1);
            Load big = Load.start(lb + "18103/work?cpuMs=10");
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> list(autoscaler(wharf, "big").get("decisions")).stream()
                            .anyMatch(d -> d.get("reason").asText().contains("found no room")));
            big.close();
            assertThat(list(autoscaler(wharf, "big").get("decisions")))
                    .allSatisfy(d -> assertThat(d.get("to").asInt()).isLessThanOrEqualTo(3));
            assertThat(rows(wharf, "big")).isEqualTo(1);
            // and it stops asking for them: a new max brings the count within it at once
            apply(
                    wharf,
                    "big",
                    1,
                    18103,
                    "resources: {cpu: 0.2, memory: " + (hostMemoryMb * 6 / 10) + "Mi}\n",
                    "{min: 1, max: 1, cpu: 50%}");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> autoscaler(wharf, "big").get("current").asInt() == 1);

            // a quiet agent: no scale-in on missing data
            String token = wharf.cli("token", "create", "--join").out().strip();
            Process second = wharf.startAgent("second", SECOND_POOL, token);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> json(wharf.http().get("/v1/hosts").body())
                                    .get("hosts")
                                    .size()
                            == 2);
            apply(
                    wharf,
                    "quiet",
                    2,
                    18104,
                    "resources: {cpu: 0.2}\n",
                    "{min: 2, max: 2, cpu: 50%, scaleIn: {after: 2s}}");
            awaitServing(wharf, "quiet", 2);
            assertThat(hosts(wharf, "quiet")).contains("second");
            second.destroyForcibly();
            second.waitFor();
            // now it may go down to 1, and would at once were every container reporting
            apply(
                    wharf,
                    "quiet",
                    2,
                    18104,
                    "resources: {cpu: 0.2}\n",
                    "{min: 1, max: 2, cpu: 50%, scaleIn: {after: 2s}}");
            await().atMost(Duration.ofSeconds(20))
                    .until(() ->
                            autoscaler(wharf, "quiet").get("state").asText().contains("no scale-in on missing data"));
            await().during(Duration.ofSeconds(8))
                    .atMost(Duration.ofSeconds(12))
                    .until(() -> rows(wharf, "quiet") == 2
                            && autoscaler(wharf, "quiet").get("current").asInt() == 2);

            // steady load for 2 minutes: at most one change
            await().atMost(Duration.ofMinutes(3))
                    .until(() -> Duration.between(steadySince, Instant.now()).compareTo(Duration.ofMinutes(2)) >= 0);
            steady.close();
            assertThat(steady.failures()).isEmpty();
            assertThat(list(autoscaler(wharf, "steady").get("decisions")))
                    .as("changes of the steady service")
                    .hasSizeLessThanOrEqualTo(1);

            // kill -9 of the server right after a scale-out decision: the count is kept, nothing doubled
            apply(wharf, "burst", 1, 18105, "resources: {cpu: 0.2}\n", "{min: 1, max: 3, cpu: 50%}");
            awaitServing(wharf, "burst", 1);
            Load burst = Load.start(lb + "18105/work?cpuMs=10");
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> autoscaler(wharf, "burst").get("decisions").size() > 0);
            wharf.kill();
            burst.close();
            wharf.start();
            try {
                await().atMost(Duration.ofSeconds(90)).until(() -> {
                    int count = autoscaler(wharf, "burst").get("current").asInt();
                    return count > 1 && serving(wharf, "burst") == count;
                });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                String out = wharf.serverOutput();
                throw new AssertionError(
                        "burst not serving its count after the restart: autoscaler " + autoscaler(wharf, "burst")
                                + ", serving " + serving(wharf, "burst") + "; the platform's output since:\n"
                                + out.substring(Math.max(0, out.length() - 20_000)),
                        e);
            }
            int count = autoscaler(wharf, "burst").get("current").asInt();
            assertThat(rows(wharf, "burst")).isEqualTo(count);
            assertThat(wharf.containerProcesses().stream()
                            .filter(p -> cwd(p).contains("default.burst."))
                            .count())
                    .isEqualTo(count);
        }
    }

    @Test
    @DisplayName("a user's scale-down by apply drains each container before it stops: 0 failed requests")
    void applyDownDrains() throws Exception {
        try (WharfProcess wharf = new WharfProcess(data, "127.0.38.0/24").start()) {
            String lb = "http://" + wharf.lbAddress() + ":18106/";
            apply(wharf, "down", 3, 18106, "", null);
            awaitServing(wharf, "down", 3);
            Load load = Load.start(lb);
            apply(wharf, "down", 5, 18106, "", null);
            awaitServing(wharf, "down", 5);
            apply(wharf, "down", 2, 18106, "", null);
            try {
                // three drains one after another: on a busy machine each can take its drain time-out
                await().atMost(Duration.ofSeconds(120))
                        .until(() -> rows(wharf, "down") == 2 && serving(wharf, "down") == 2);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                String out = wharf.serverOutput();
                throw new AssertionError(
                        "down not at 2: rows " + rows(wharf, "down") + ", serving " + serving(wharf, "down")
                                + ", scale-ins "
                                + wharf.http().get("/v1/scale-ins").body()
                                + "; the platform's output:\n" + out.substring(Math.max(0, out.length() - 20_000)),
                        e);
            }
            load.close();
            assertThat(load.failures()).as("failed requests of 3 → 5 → 2").isEmpty();
            assertThat(load.ok()).isGreaterThan(100);
            JsonNode scaleIn = json(wharf.http().get("/v1/scale-ins").body())
                    .get("scaleIns")
                    .get(0);
            assertThat(scaleIn.get("reason").asText()).isEqualTo("count 2 (spec replicas)");
            assertThat(scaleIn.get("containers")).hasSize(3);
            var describe = wharf.cli("describe", "scale-in", scaleIn.get("id").asText());
            assertThat(describe.out()).contains("STOPPED", "acknowledged by");
        }
    }

    private static void apply(WharfProcess wharf, String name, int replicas, int external, String extra, String auto)
            throws Exception {
        Path spec = Files.createTempFile("spec-", ".yaml");
        Files.writeString(
                spec,
                "name: " + name + "\nimage: demo:v1\nreplicas: " + replicas + "\nports: [{port: 8080, external: "
                        + external + "}]\nhealth: {path: /health, interval: 300ms}\n" + extra
                        + (auto == null ? "" : "autoscale: " + auto + "\n"));
        var r = wharf.cli("apply", "-f", spec.toString());
        assertThat(r.exit()).as(r.err()).isZero();
    }

    private static void awaitServing(WharfProcess wharf, String service, int n) {
        await().atMost(Duration.ofSeconds(60)).until(() -> serving(wharf, service) == n);
    }

    /** UP endpoints of the service. */
    private static int serving(WharfProcess wharf, String service) throws Exception {
        int n = 0;
        for (JsonNode e : json(wharf.http()
                        .get("/v1/namespaces/default/services/" + service + "/endpoints")
                        .body())
                .get("endpoints")) {
            if (e.get("state").asText().equals("UP")) n++;
        }
        return n;
    }

    /** The service's running rows in the container table. */
    private static int rows(WharfProcess wharf, String service) throws Exception {
        int n = 0;
        for (JsonNode c : json(wharf.http().get("/v1/containers").body()).get("containers")) {
            if (c.get("service").asText().equals(service)
                    && c.get("desired").asText().equals("RUNNING")) n++;
        }
        return n;
    }

    private static List<String> hosts(WharfProcess wharf, String service) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode c : json(wharf.http().get("/v1/containers").body()).get("containers")) {
            if (c.get("service").asText().equals(service)) out.add(c.get("host").asText());
        }
        return out;
    }

    private static JsonNode autoscaler(WharfProcess wharf, String service) throws Exception {
        var r = wharf.http().get("/v1/namespaces/default/services/" + service + "/autoscaler");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r.body());
    }

    private static String cwd(ProcessHandle p) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd"))
                    .toString();
        } catch (Exception gone) {
            return "";
        }
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    private static JsonNode json(String body) throws Exception {
        return JSON.readTree(body);
    }
}
