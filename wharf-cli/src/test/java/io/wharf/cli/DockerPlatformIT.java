package io.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.wharf.agent.runtime.docker.DockerEngine;
import io.wharf.agent.runtime.docker.DockerRuntime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform on the Docker runtime, end to end, as real processes: {@code wharf up --runtime docker} with the
 * demo as a Docker image built from this machine's files ({@code bin/docker-images}).
 */
class DockerPlatformIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String POOL = "127.0.68.0/24";

    private static DockerClient docker;

    @TempDir
    Path data;

    @BeforeAll
    static void engineAndImages() throws Exception {
        try {
            docker = DockerEngine.connect(Optional.empty());
        } catch (IllegalStateException e) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(e.getMessage() + " (CI=true: the Docker runtime must be tested)", e);
            }
            Assumptions.abort(e.getMessage());
        }
        Process build = new ProcessBuilder(
                        "../bin/docker-images",
                        "demo",
                        Path.of("..", "wharf-demo", "target", "demo.jar").toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(build.getInputStream().readAllBytes());
        assertThat(build.waitFor(300, TimeUnit.SECONDS) && build.exitValue() == 0)
                .as("bin/docker-images demo: %s", out)
                .isTrue();
    }

    @AfterEach
    void removeContainers() {
        if (docker == null) return;
        for (Container c : ours()) {
            docker.removeContainerCmd(c.getId()).withForce(true).exec();
        }
    }

    /** The engine's containers of the test's agent ({@code wharf up}'s host is called local). */
    private static List<Container> ours() {
        return docker.listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(DockerRuntime.HOST, "local"))
                .exec();
    }

    private static List<Container> of(String service) {
        return ours().stream()
                .filter(c -> service.equals(c.getLabels().get(DockerRuntime.SERVICE)))
                .toList();
    }

    @Test
    @DisplayName("004.3/004.8 on Docker: 3 replicas are 3 containers on their own addresses, one port, UP and"
            + " balanced; a killed process is restarted; releases (in place, start-first) and a scale-out task"
            + " under load fail no request; a killed platform's containers keep serving and are adopted, none"
            + " twice; a container over its memory is killed and reported")
    void platformOnDocker() throws Exception {
        WharfProcess wharf =
                new WharfProcess(data, POOL).with("--runtime", "docker").start();
        WharfProcess again = null;
        try {
            assertThat(wharf.serverOutput()).contains("docker containers on " + POOL);
            Path spec = data.resolve("web.yaml");
            Files.writeString(spec, """
                    name: web
                    image: demo:v1
                    replicas: 3
                    ports: [{port: 8080, external: 18470}]
                    health: {path: /health, interval: 300ms}
                    labels: {group: front}
                    """);
            var applied = wharf.cli("apply", "-f", spec.toString());
            assertThat(applied.exit()).as(applied.err()).isZero();
            awaitUp(wharf, "v1", 3);

            // 3 engine containers, each published on its own address of the pool, all on port 8080
            List<Container> web = of("web");
            assertThat(web).hasSize(3).allSatisfy(c -> assertThat(c.getState()).isEqualTo("running"));
            Set<String> published = new HashSet<>();
            for (Container c : web) {
                var ports = c.getPorts();
                assertThat(ports).hasSize(1);
                assertThat(ports[0].getPublicPort()).isEqualTo(8080);
                assertThat(ports[0].getPrivatePort()).isEqualTo(8080);
                published.add(ports[0].getIp());
            }
            assertThat(published).hasSize(3).allSatisfy(ip -> assertThat(ip).startsWith("127.0.68."));
            assertThat(endpoints(wharf).keySet())
                    .isEqualTo(published.stream().map(ip -> ip + "_8080").collect(Collectors.toSet()));
            String lb = "http://" + wharf.lbAddress() + ":18470/";
            try (Load load = Load.start(lb)) {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> load.instances().size() == 3);
            }

            // kill -9 of a container's own process: the agent starts it again, on the same address
            String killedId = container(wharf, "default.web.0").get("ip").asText();
            long init = docker.inspectContainerCmd("wharf-local-default.web.0")
                    .exec()
                    .getState()
                    .getPidLong();
            ProcessHandle app =
                    ProcessHandle.of(init).orElseThrow().children().findFirst().orElseThrow();
            app.destroyForcibly();
            await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(() -> container(wharf, "default.web.0")
                                    .get("observed")
                                    .get("restarts")
                                    .asInt()
                            >= 1);
            awaitUp(wharf, "v1", 3);
            assertThat(container(wharf, "default.web.0")
                            .get("observed")
                            .get("lastExit")
                            .asText())
                    .isEqualTo("killed by signal 9");
            assertThat(container(wharf, "default.web.0").get("ip").asText()).isEqualTo(killedId);

            // releases under load: in place, then start-first
            try (Load load = Load.start(lb)) {
                var run = wharf.cli("release", "web", "--version", "v2", "--wait");
                assertThat(run.exit()).as(run.out() + run.err()).isZero();
                load.close();
                assertThat(load.failures())
                        .as("failed requests during the in-place release")
                        .isEmpty();
                assertThat(load.ok()).isGreaterThan(50);
            }
            awaitUp(wharf, "v2", 3);
            try (Load load = Load.start(lb)) {
                // a 3 s watch, as in ReleaseIT: its first 0.6 s are warm-up. With 1 s (0.2 s of warm-up) a fresh
                // container's JVM, still compiling, was judged slow on a busy host (median 17.9 ms against 4.1 ms)
                var run = wharf.cli(
                        "release", "web", "--version", "v1", "--mode", "start-first", "--watch", "3s", "--wait");
                assertThat(run.exit()).as(run.out() + run.err()).isZero();
                load.close();
                assertThat(load.failures())
                        .as("failed requests during the start-first release")
                        .isEmpty();
            }
            awaitUp(wharf, "v1", 3);
            await().atMost(Duration.ofSeconds(30)).until(() -> of("web").size() == 3);

            // a scale-out task under load: the group's services doubled
            try (Load load = Load.start(lb)) {
                var run = wharf.cli("scale-out", "--group", "front", "--wait");
                assertThat(run.exit()).as(run.out() + run.err()).isZero();
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> load.instances().size() == 6);
                load.close();
                assertThat(load.failures())
                        .as("failed requests during the scale-out")
                        .isEmpty();
            }
            awaitUp(wharf, "v1", 6);
            assertThat(of("web")).hasSize(6);

            // the platform (server and agent) killed: the containers keep serving at their own addresses
            Map<String, String> before = dockerIds("web");
            wharf.kill();
            HttpClient http = HttpClient.newHttpClient();
            for (String ep : endpointsOf(before.keySet())) {
                var r = http.send(
                        HttpRequest.newBuilder(URI.create("http://" + ep.replace('_', ':') + "/"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(ep).isEqualTo(200);
            }
            // meanwhile a container of this host that the server assigns nowhere (an agent's left-over)
            String ghost = docker.createContainerCmd("wharf-demo:latest")
                    .withName("wharf-local-default.ghost.0")
                    .withLabels(Map.of(DockerRuntime.HOST, "local", DockerRuntime.CONTAINER, "default.ghost.0"))
                    .withCmd("sleep", "600")
                    .exec()
                    .getId();
            docker.startContainerCmd(ghost).exec();
            // started again on the same data: the agent adopts its containers, none made twice, and removes the
            // one it does not know
            again = new WharfProcess(data, POOL).with("--runtime", "docker").start();
            WharfProcess restarted = again;
            awaitUp(restarted, "v1", 6);
            assertThat(dockerIds("web")).isEqualTo(before);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> ours().stream().noneMatch(c -> c.getId().equals(ghost)));

            // a container over its memory limit is killed by the engine and reported
            var push = restarted.cli(
                    "image",
                    "push",
                    "demo:fat",
                    "--docker",
                    "wharf-demo:latest",
                    "--cmd",
                    "java -Xms256m -Xmx256m -XX:+AlwaysPreTouch -jar /app/demo.jar");
            assertThat(push.exit()).as(push.err()).isZero();
            Files.writeString(data.resolve("fat.yaml"), """
                    name: fat
                    image: demo:fat
                    replicas: 1
                    ports: [{port: 8080}]
                    resources: {memory: 64Mi}
                    """);
            var fat = restarted.cli("apply", "-f", data.resolve("fat.yaml").toString());
            assertThat(fat.exit()).as(fat.err()).isZero();
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> container(restarted, "default.fat.0")
                    .get("observed")
                    .get("lastExit")
                    .asText()
                    .equals("killed: out of memory (limit 64 MiB)"));
            // its output, from the engine's log
            String some = before.keySet().iterator().next();
            var logs = restarted.cli("logs", some);
            assertThat(logs.exit()).as(logs.err()).isZero();
            assertThat(logs.out()).contains("instance=" + some + " listening on 0.0.0.0:8080");

            // network: host — the container shares the host's network and listens on its own address itself
            Files.writeString(data.resolve("direct.yaml"), """
                    name: direct
                    image: demo:v1
                    replicas: 1
                    network: host
                    ports: [{port: 8080}]
                    health: {path: /health, interval: 300ms}
                    """);
            var direct =
                    restarted.cli("apply", "-f", data.resolve("direct.yaml").toString());
            assertThat(direct.exit()).as(direct.err()).isZero();
            String address = await().atMost(Duration.ofSeconds(90))
                    .ignoreExceptions()
                    .until(
                            () -> {
                                JsonNode e = JSON.readTree(restarted
                                                .http()
                                                .get("/v1/namespaces/default/services/direct/endpoints")
                                                .body())
                                        .get("endpoints")
                                        .get(0);
                                return e.get("state").asText().equals("UP")
                                        ? e.get("id").asText()
                                        : null;
                            },
                            java.util.Objects::nonNull);
            assertThat(docker.inspectContainerCmd("wharf-local-default.direct.0")
                            .exec()
                            .getHostConfig()
                            .getNetworkMode())
                    .isEqualTo("host");
            var served = http.send(
                    HttpRequest.newBuilder(URI.create("http://" + address.replace('_', ':') + "/"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(served.statusCode()).isEqualTo(200);
            var directLogs = restarted.cli("logs", "default.direct.0");
            assertThat(directLogs.out()).contains("listening on " + address.replace('_', ':'));
        } finally {
            wharf.close();
            if (again != null) again.close();
        }
    }

    /** The ip_port of each of {@code containers}' endpoints, by the container ids the engine was asked for. */
    private static List<String> endpointsOf(Set<String> containers) {
        return ours().stream()
                .filter(c -> containers.contains(c.getLabels().get(DockerRuntime.CONTAINER)))
                .map(c -> c.getPorts()[0].getIp() + "_" + c.getPorts()[0].getPublicPort())
                .toList();
    }

    /** Wharf container id → the engine's id, for a service's containers. */
    private static Map<String, String> dockerIds(String service) {
        return of(service).stream()
                .collect(Collectors.toMap(c -> c.getLabels().get(DockerRuntime.CONTAINER), Container::getId));
    }

    private static JsonNode container(WharfProcess wharf, String id) throws Exception {
        return JSON.readTree(wharf.http().get("/v1/containers/" + id).body());
    }

    /** The service web's endpoints: ip_port → state. */
    private static Map<String, String> endpoints(WharfProcess wharf) throws Exception {
        Map<String, String> out = new java.util.HashMap<>();
        for (JsonNode e : JSON.readTree(wharf.http()
                        .get("/v1/namespaces/default/services/web/endpoints")
                        .body())
                .get("endpoints")) {
            out.put(e.get("id").asText(), e.get("state").asText());
        }
        return out;
    }

    private static void awaitUp(WharfProcess wharf, String version, int n) {
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> {
            int count = 0;
            for (JsonNode e : JSON.readTree(wharf.http()
                            .get("/v1/namespaces/default/services/web/endpoints")
                            .body())
                    .get("endpoints")) {
                if (e.get("state").asText().equals("UP")
                        && e.get("version").asText().equals(version)) count++;
            }
            return count == n;
        });
    }
}
