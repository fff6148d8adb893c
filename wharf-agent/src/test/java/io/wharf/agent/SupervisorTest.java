package io.wharf.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.wharf.agent.runtime.ContainerRuntime;
import io.wharf.agent.runtime.ContainerSpec;
import io.wharf.client.WharfClient;
import io.wharf.client.wire.Assignment;
import io.wharf.client.wire.Assignments;
import io.wharf.client.wire.Desired;
import io.wharf.client.wire.Registration;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor against a registry that records what the agent asks of it, with a container that runs from the
 * start (as an adopted one does) and answers its health checks.
 */
class SupervisorTest {
    @TempDir
    Path dir;

    /** What the agent asked of the registry, as {@code METHOD PATH}, in order. */
    final List<String> calls = new CopyOnWriteArrayList<>();

    HttpServer registry;
    HttpServer container;

    /** A runtime whose one container runs from the start. */
    static final class Adopted implements ContainerRuntime {
        @Override
        public Optional<String> image(String id) {
            return Optional.of("web:1");
        }

        @Override
        public Optional<Stats> stats(String id) {
            return Optional.empty();
        }

        @Override
        public Status start(ContainerSpec spec) {
            return status(spec.id());
        }

        @Override
        public Map<String, Status> running() {
            return Map.of("default.web.0", status("default.web.0"));
        }

        @Override
        public Status status(String id) {
            return new Status.Running("r-" + id, 4242);
        }

        @Override
        public void stop(String id, Duration grace) {}

        @Override
        public void remove(String id) {}

        @Override
        public String output(String id) {
            return "";
        }

        @Override
        public Optional<Integer> exec(String id, String command, Map<String, String> env, Duration timeout) {
            return Optional.empty();
        }
    }

    @AfterEach
    void stop() {
        if (registry != null) registry.stop(0);
        if (container != null) container.stop(0);
    }

    private void startServers() throws IOException {
        registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        registry.createContext("/", x -> {
            calls.add(x.getRequestMethod() + " " + x.getRequestURI().getPath());
            byte[] body = (x.getRequestMethod().equals("PUT")
                            ? "{\"id\":\"127.0.57.1_" + container.getAddress().getPort()
                                    + "\",\"ip\":\"127.0.57.1\",\"port\":"
                                    + container.getAddress().getPort()
                                    + ",\"state\":\"UP\",\"weight\":100,\"registeredBy\":\"AGENT\",\"revision\":1}"
                            : "{\"revision\":2}")
                    .getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", "application/json");
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        registry.start();
        container = HttpServer.create(new InetSocketAddress("127.0.57.1", 0), 0);
        container.createContext("/health", x -> {
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        container.start();
    }

    private Assignments assignments(long revision, Desired desired, Registration registration) {
        Assignment a = new Assignment(
                "default.web.0",
                "default",
                "web",
                0,
                "web:1",
                "1",
                "",
                "",
                "",
                "127.0.57.1",
                container.getAddress().getPort(),
                desired,
                registration,
                Map.of(),
                "/health",
                null,
                50,
                1_000,
                3,
                0,
                0,
                List.of(),
                "",
                false);
        return new Assignments(revision, "lease-1", List.of(a), List.of(), List.of());
    }

    private long count(String method) {
        return calls.stream().filter(c -> c.startsWith(method + " ")).count();
    }

    @Test
    @DisplayName("a registration paused while the agent was putting its endpoint back (a heartbeat that found it"
            + " missing, racing the pause) takes the endpoint out from here too: it does not outlive its container")
    void pausedTakesOutWhatTheAgentPutBack() throws Exception {
        startServers();
        AgentConfig config = new AgentConfig(
                "http://127.0.0.1:" + registry.getAddress().getPort(),
                Optional.empty(),
                "h1",
                "127.0.0.1",
                "127.0.57.0/24",
                dir,
                2_000,
                1_024,
                Path.of(System.getProperty("java.home")),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                Optional.empty(),
                "process",
                AgentConfig.LbEngine.builtIn(),
                Optional.empty());
        WharfClient client = WharfClient.builder(config.server()).token("t").build();
        Supervisor supervisor = new Supervisor(config, new Adopted(), client, () -> {});

        supervisor.assign(assignments(1, Desired.RUNNING, Registration.ACTIVE));
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            supervisor.tick();
            return count("PUT") == 1;
        });

        // the server pauses the registration and takes the endpoint out; two heartbeats find it missing before the
        // paused assignment arrives, and the agent registers it again
        // (heartbeats sent after its registration: the first PUT may be recorded before the agent has its answer)
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            supervisor.held(List.of(), System.nanoTime());
            supervisor.tick();
            return count("PUT") >= 2;
        });

        // the paused assignment: the endpoint goes, though the agent no longer counts it as its own to remove
        supervisor.assign(assignments(2, Desired.RUNNING, Registration.PAUSED));
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            supervisor.tick();
            return count("DELETE") >= 1;
        });
        // and stopped: nothing registers it again
        supervisor.assign(assignments(3, Desired.STOPPED, Registration.PAUSED));
        supervisor.tick();
        await().atMost(Duration.ofSeconds(20)).until(() -> supervisor.report().isEmpty());
        assertThat(calls.getLast()).as("the registry's last call of %s", calls).startsWith("DELETE ");
    }
}
