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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batch scale-out of service groups (claims 000.1–000.7), end to end, as real processes. */
class ScaleOutIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    @Test
    @DisplayName("000.1-000.7 one task doubles every service of a group at its majority version; one that"
            + " cannot grow is skipped with the reason; kill -9 mid-task resumes without duplicates")
    void scaleOutGroups() throws Exception {
        try (WharfProcess wharf = new WharfProcess(data, "127.0.28.0/24")
                .with("--scan-interval", "1s")
                .start()) {
            long hostMemoryMb = json(wharf.http().get("/v1/hosts").body())
                    .get("hosts")
                    .get(0)
                    .get("memoryMb")
                    .asLong();
            apply(wharf, "web", "demo:v1", 1, "front", "", "[{port: 8080, external: 18090}]");
            // mixed: 2 containers on v2, then the spec back on v1 with a third: v2 is the majority, v1 the spec's
            apply(wharf, "mixed", "demo:v2", 2, "front", "");
            awaitServing(wharf, "mixed", 2);
            apply(wharf, "mixed", "demo:v1", 3, "front", "");
            // big: one container takes 60 % of the host's memory, so a second finds no room
            apply(wharf, "big", "demo:v1", 1, "front", "resources: {memory: " + (hostMemoryMb * 6 / 10) + "Mi}\n");
            // crashy: its first container runs; any other one refuses to start
            Path pkg = Files.createDirectories(data.resolve("crashy-package"));
            Files.copy(Path.of("..", "wharf-demo", "target", "demo.jar"), pkg.resolve("demo.jar"));
            var push = wharf.cli(
                    "image",
                    "push",
                    "crashy:v1",
                    pkg.toString(),
                    "--cmd",
                    "sh -c 'case \"$WHARF_CONTAINER\" in *.0) exec java -jar demo.jar ;;"
                            + " *) echo refusing to start >&2; exit 3 ;; esac'");
            assertThat(push.exit()).as(push.err()).isZero();
            apply(wharf, "crashy", "crashy:v1", 1, "front", "");
            apply(wharf, "other", "demo:v1", 1, "back", "");
            awaitServing(wharf, "web", 1);
            awaitServing(wharf, "mixed", 3);
            awaitServing(wharf, "big", 1);
            awaitServing(wharf, "other", 1);
            awaitServing(wharf, "crashy", 1);

            // bad groups are refused, each named
            var unknown = wharf.cli("scale-out", "--group", "front", "--group", "nope", "--group", "bad label");
            assertThat(unknown.exit()).isEqualTo(1);
            assertThat(unknown.err())
                    .contains("groups[1]: 'nope': no service carries the label group=nope")
                    .contains("groups[2]: 'bad label'");

            // steady load through the load balancer to web while its group scales out
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI web = URI.create("http://" + wharf.lbAddress() + ":18090/");
            await().atMost(Duration.ofSeconds(10))
                    .ignoreExceptions()
                    .until(() -> http.send(HttpRequest.newBuilder(web).build(), HttpResponse.BodyHandlers.ofString())
                                    .statusCode()
                            == 200);
            AtomicBoolean loading = new AtomicBoolean(true);
            AtomicInteger served = new AtomicInteger();
            Queue<String> failures = new ConcurrentLinkedQueue<>();
            Set<String> instances = ConcurrentHashMap.newKeySet();
            Thread load = Thread.ofVirtual().start(() -> {
                while (loading.get()) {
                    try {
                        HttpResponse<String> r = http.send(
                                HttpRequest.newBuilder(web)
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) failures.add(r.statusCode() + " " + r.body());
                        else {
                            served.incrementAndGet();
                            instances.add(json(r.body()).get("instance").asText());
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            });
            var run = wharf.cli("scale-out", "--group", "front", "--wait");
            await().atMost(Duration.ofSeconds(10)).until(() -> instances.size() == 2);
            loading.set(false);
            load.join();
            assertThat(failures).as("failed requests during the scale-out").isEmpty();
            assertThat(served.get()).isGreaterThan(100);
            assertThat(instances).containsExactlyInAnyOrder("default.web.0", "default.web.1");
            assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(1); // completed with a skip
            assertThat(run.out()).contains("2 of 4 services skipped");
            String id = run.out().lines().findFirst().orElseThrow().split(" ")[2];

            JsonNode task = json(wharf.cli("describe", "task", id, "-o", "json").out());
            assertThat(task.get("task").get("status").asText()).isEqualTo("COMPLETED_WITH_SKIPS");
            Map<String, JsonNode> services = new TreeMap<>();
            task.get("services").forEach(s -> services.put(s.get("service").asText(), s));
            assertThat(services).containsOnlyKeys("big", "crashy", "mixed", "web"); // "other" is in another group
            assertThat(services.get("web").get("status").asText()).isEqualTo("DONE");
            assertThat(services.get("web").get("nodes").asInt()).isEqualTo(1);
            assertThat(services.get("mixed").get("status").asText()).isEqualTo("DONE");
            assertThat(services.get("mixed").get("nodes").asInt()).isEqualTo(3);
            assertThat(services.get("mixed").get("targetVersion").asText()).isEqualTo("v2");
            assertThat(services.get("big").get("status").asText()).isEqualTo("SKIPPED");
            assertThat(services.get("big").get("reason").asText()).contains("no ready host has room");
            assertThat(services.get("crashy").get("status").asText()).isEqualTo("SKIPPED");
            assertThat(services.get("crashy").get("reason").asText())
                    .containsPattern("^default\\.crashy\\.1: version v1 exited \\d+ times \\(last: exit code 3\\)");
            List<String> created = new ArrayList<>();
            task.get("containers")
                    .forEach(c -> created.add(
                            c.get("id").asText() + "=" + c.get("status").asText()));
            assertThat(created)
                    .contains(
                            "default.web.1=SERVING",
                            "default.mixed.3=SERVING",
                            "default.mixed.4=SERVING",
                            "default.mixed.5=SERVING");
            assertThat(created).filteredOn(c -> c.startsWith("default.big.")).allMatch(c -> c.endsWith("=FAILED"));

            // the new containers are in the registry, on the target version; big is back to its one container
            Map<String, String> mixed = versions(wharf, "mixed");
            assertThat(mixed).hasSize(6);
            assertThat(mixed.values().stream().filter("v2"::equals).count()).isEqualTo(5);
            assertThat(versions(wharf, "web")).hasSize(2);
            assertThat(versions(wharf, "other")).hasSize(1);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> rows(wharf, "big").size() == 1);
            assertThat(wharf.cli("get", "tasks").out()).contains(id).contains("COMPLETED_WITH_SKIPS");

            // kill -9 the server right after it created a task: the task resumes, nothing is created twice
            var second = wharf.cli("scale-out", "--group", "back");
            assertThat(second.exit()).isZero();
            String secondId = second.out().lines().findFirst().orElseThrow().split(" ")[2];
            wharf.kill();
            wharf.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> json(wharf.http()
                            .get("/v1/scale-outs/" + secondId)
                            .body())
                    .get("task")
                    .get("status")
                    .asText()
                    .equals("COMPLETED"));
            assertThat(rows(wharf, "other")).containsExactly("default.other.0", "default.other.1");
            awaitServing(wharf, "other", 2);
        }
    }

    private static String status(WharfProcess wharf, String id) throws Exception {
        return json(wharf.http().get("/v1/scale-outs/" + id).body())
                .get("task")
                .get("status")
                .asText();
    }

    private static List<String> hosts(WharfProcess wharf, String service) throws Exception {
        List<String> out = new ArrayList<>();
        json(wharf.http().get("/v1/containers").body()).get("containers").forEach(c -> {
            if (c.get("service").asText().equals(service)) out.add(c.get("host").asText());
        });
        return out;
    }

    private static void apply(WharfProcess wharf, String name, String image, int replicas, String group, String extra)
            throws Exception {
        apply(wharf, name, image, replicas, group, extra, "[{port: 8080}]");
    }

    private static void apply(
            WharfProcess wharf, String name, String image, int replicas, String group, String extra, String ports)
            throws Exception {
        Path spec = Files.createTempFile("spec-", ".yaml");
        Files.writeString(
                spec,
                "name: " + name + "\nimage: " + image + "\nreplicas: " + replicas
                        + "\nports: " + ports + "\nhealth: {path: /health, interval: 300ms}\nlabels: {group: " + group
                        + "}\n"
                        + extra);
        var r = wharf.cli("apply", "-f", spec.toString());
        assertThat(r.exit()).as(r.err()).isZero();
    }

    private static void awaitServing(WharfProcess wharf, String service, int n) {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> versions(wharf, service).size() == n);
    }

    /** UP endpoints of the service, with their version. */
    private static Map<String, String> versions(WharfProcess wharf, String service) throws Exception {
        Map<String, String> out = new TreeMap<>();
        json(wharf.http()
                        .get("/v1/namespaces/default/services/" + service + "/endpoints")
                        .body())
                .get("endpoints")
                .forEach(e -> {
                    if (e.get("state").asText().equals("UP"))
                        out.put(e.get("id").asText(), e.get("version").asText());
                });
        return out;
    }

    /** The service's rows in the container table. */
    private static List<String> rows(WharfProcess wharf, String service) throws Exception {
        List<String> out = new ArrayList<>();
        json(wharf.http().get("/v1/containers").body()).get("containers").forEach(c -> {
            if (c.get("service").asText().equals(service)) out.add(c.get("id").asText());
        });
        return out;
    }

    private static JsonNode json(String body) throws Exception {
        return JSON.readTree(body);
    }
}
