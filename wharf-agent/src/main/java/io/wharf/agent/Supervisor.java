package io.wharf.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.agent.runtime.ContainerRuntime;
import io.wharf.agent.runtime.ContainerRuntime.Status;
import io.wharf.agent.runtime.ContainerSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converges the host on its assignments: starts what should run (or adopts it if it already does),
 * restarts what died with back-off, stops and removes what should not run; health-checks running
 * containers and keeps their endpoints in the registry while they pass, unless registration is paused.
 * Level-triggered: every tick compares the whole desired state with what runs.
 */
final class Supervisor {
    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** How often a process that has not yet passed a check since it started is probed, within one interval. */
    private static final Duration STARTUP_PROBE = Duration.ofMillis(50);

    private final AgentConfig config;
    private final ContainerRuntime runtime;
    private final ServerClient server;
    private final Map<String, Managed> managed = new ConcurrentHashMap<>();
    private final Set<String> stopping = ConcurrentHashMap.newKeySet();
    private volatile Map<String, JsonNode> desired = Map.of();
    private volatile String leaseId = "";
    /** Told when a container starts, stops or passes or fails its checks, so the server hears soon. */
    private final Runnable changed;

    Supervisor(AgentConfig config, ContainerRuntime runtime, ServerClient server, Runnable changed) {
        this.config = config;
        this.runtime = runtime;
        this.server = server;
        this.changed = changed;
    }

    /** New assignments from the server. */
    void assign(JsonNode assignments) {
        Map<String, JsonNode> next = new HashMap<>();
        assignments.get("containers").forEach(c -> next.put(c.get("id").asText(), c));
        desired = next;
        lease(assignments.path("lease").asText(""));
    }

    /** The host's lease; endpoints registered on an earlier one have left the registry with it. */
    void lease(String id) {
        if (!id.isEmpty() && !id.equals(leaseId)) {
            if (!leaseId.isEmpty()) log.info("host lease changed lease={}; registering endpoints again", id);
            leaseId = id;
            managed.values().forEach(m -> m.registered = false);
        }
    }

    synchronized void tick() {
        long now = System.nanoTime();
        for (JsonNode a : desired.values()) {
            if (!"RUNNING".equals(a.get("desired").asText())) continue;
            String id = a.get("id").asText();
            Managed m = managed.computeIfAbsent(id, i -> new Managed(i, a));
            m.assignment = a;
            if (!m.registrationActive()) m.registered = false;
            if ("RUNNING".equals(m.state)
                    && !m.runningImage.isEmpty()
                    && !m.runningImage.equals(a.get("image").asText())) {
                replace(m); // its image changed (claim 001.5): same IP and port, the new package
                continue;
            }
            converge(m, now);
        }
        for (Managed m : List.copyOf(managed.values())) {
            JsonNode a = desired.get(m.id);
            if (a == null || !"RUNNING".equals(a.get("desired").asText())) {
                retire(m);
            }
        }
        for (Managed m : managed.values()) {
            if ("RUNNING".equals(m.state) && !m.checking && now - m.nextCheckNanos >= 0) {
                m.checking = true;
                Thread.ofVirtual().name("wharf-check-" + m.id).start(() -> check(m));
            }
        }
    }

    private void converge(Managed m, long now) {
        Status status = runtime.status(m.id);
        switch (status) {
            case Status.Running r -> {
                if (!"RUNNING".equals(m.state)) {
                    log.info("container running id={} pid={}{}", m.id, r.pid(), m.everStarted ? "" : " (adopted)");
                    m.state = "RUNNING";
                    m.everStarted = true;
                }
                if (m.runningImage.isEmpty()) {
                    m.runningImage =
                            runtime.image(m.id).orElse(m.assignment.get("image").asText());
                }
                m.pid = r.pid();
            }
            case Status.Exited e -> died(m, e.exit(), now);
            case Status.Unknown u -> {
                if ("RUNNING".equals(m.state)) died(m, "gone", now);
            }
        }
        if (!"RUNNING".equals(m.state) && now - m.backoffUntilNanos >= 0) {
            start(m, now);
        }
    }

    private void died(Managed m, String exit, long now) {
        if ("RUNNING".equals(m.state)) {
            m.restarts++;
            m.lastExit = exit;
            Duration backoff = Duration.ofSeconds(1L << Math.min(m.restarts - 1, 5));
            backoff = backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff;
            m.backoffUntilNanos = now + backoff.toNanos();
            m.state = "BACKOFF";
            m.healthy = false;
            m.failures = 0;
            log.warn(
                    "container exited id={} exit=\"{}\" restarts={} restart_in={}ms",
                    m.id,
                    exit,
                    m.restarts,
                    backoff.toMillis());
            deregister(m);
            changed.run();
        }
    }

    private void start(Managed m, long now) {
        JsonNode a = m.assignment;
        try {
            Path pkg = packageOf(a);
            Map<String, String> env = new HashMap<>();
            a.get("env")
                    .properties()
                    .forEach(e -> env.put(e.getKey(), e.getValue().asText()));
            env.put("WHARF_VERSION", a.get("version").asText());
            env.put("WHARF_IMAGE", a.get("image").asText());
            env.put("WHARF_SERVICE", a.get("service").asText());
            env.put("WHARF_NAMESPACE", a.get("namespace").asText());
            var spec = new ContainerSpec(
                    m.id,
                    pkg,
                    a.get("filename").asText(),
                    a.get("cmd").asText(),
                    a.get("ip").asText(),
                    a.get("port").asInt(),
                    env,
                    a.path("cpuMillis").asLong(0),
                    a.path("memoryMb").asLong(0));
            if (runtime.start(spec) instanceof Status.Running r) {
                m.runningImage = a.get("image").asText();
                m.pid = r.pid();
                m.state = "RUNNING";
                m.healthy = false;
                m.passedSinceStart = false;
                m.failures = 0;
                m.nextCheckNanos = now;
                if (m.everStarted) log.info("container restarted id={} restarts={}", m.id, m.restarts);
                m.everStarted = true;
                changed.run();
            }
        } catch (IOException | RuntimeException e) {
            m.state = "FAILED";
            m.lastExit = "start failed: " + e.getMessage();
            m.restarts++;
            m.backoffUntilNanos = now
                    + Duration.ofSeconds(Math.min(30, 1L << Math.min(m.restarts, 5)))
                            .toNanos();
            log.warn("container start failed id={} reason=\"{}\"", m.id, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Path packageOf(JsonNode a) throws IOException, InterruptedException {
        String sha = a.get("sha256").asText();
        Path pkg = config.dataDir().resolve("images").resolve(sha);
        if (!Files.exists(pkg)) {
            log.info("downloading image={} sha256={}", a.get("image").asText(), sha);
            String[] ref = a.get("image").asText().split(":", 2);
            server.download(ref[0], ref[1], sha, pkg);
        }
        return pkg;
    }

    private void retire(Managed m) {
        if (!stopping.add(m.id)) return;
        Thread.ofVirtual().name("wharf-stop-" + m.id).start(() -> {
            try {
                deregister(m);
                runtime.stop(m.id, config.stopGrace());
                runtime.remove(m.id);
                managed.remove(m.id);
                log.info("container retired id={}", m.id);
                changed.run();
            } catch (IOException | RuntimeException e) {
                log.warn("retiring container failed id={} reason=\"{}\"", m.id, e.getMessage());
            } finally {
                stopping.remove(m.id);
            }
        });
    }

    /**
     * Stops a container whose assigned image changed and lets the next tick start the new one in its place:
     * deregistered first (unless a release has paused its registration and done that itself), then stopped
     * within the grace period.
     */
    private void replace(Managed m) {
        if (!stopping.add(m.id)) return;
        String from = m.runningImage;
        Thread.ofVirtual().name("wharf-replace-" + m.id).start(() -> {
            try {
                deregister(m);
                runtime.stop(m.id, config.stopGrace());
                m.state = "STOPPED";
                m.healthy = false;
                m.runningImage = "";
                m.backoffUntilNanos = System.nanoTime();
                log.info(
                        "container replaced id={} image={} (was {})",
                        m.id,
                        m.assignment.get("image").asText(),
                        from);
                changed.run(); // the next tick starts the new version at once
            } catch (RuntimeException e) {
                log.warn("replacing container failed id={} reason=\"{}\"", m.id, e.getMessage());
            } finally {
                stopping.remove(m.id);
            }
        });
    }

    private void check(Managed m) {
        try {
            JsonNode a = m.assignment;
            long interval =
                    Duration.ofMillis(a.get("healthIntervalMillis").asLong()).toNanos();
            boolean ok = probe(a);
            // a process that has not passed yet is probed every STARTUP_PROBE within the interval, so that a
            // new version is known to serve within a fraction of the interval of opening its port
            long pid = m.pid;
            long until = System.nanoTime() + interval - STARTUP_PROBE.toNanos();
            while (!ok && !m.passedSinceStart && m.pid == pid && System.nanoTime() < until) {
                Thread.sleep(STARTUP_PROBE);
                ok = probe(a);
            }
            boolean was = m.healthy;
            if (ok) {
                m.failures = 0;
                m.healthy = true;
                m.passedSinceStart = true;
                if (m.registrationActive() && !m.registered) register(m);
            } else if (++m.failures >= a.get("healthAttempts").asInt() || !m.healthy) {
                if (m.healthy) log.warn("container unhealthy id={} failures={}", m.id, m.failures);
                m.healthy = false;
                if (m.registrationActive()) deregister(m);
            }
            if (m.healthy != was) changed.run();
            m.nextCheckNanos = System.nanoTime() + interval;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            m.checking = false;
        }
    }

    private static boolean probe(JsonNode a) {
        return HealthCheck.check(
                a.get("ip").asText(),
                a.get("port").asInt(),
                a.path("healthPath").asText(""),
                (int) a.get("healthTimeoutMillis").asLong());
    }

    private void register(Managed m) {
        if (leaseId.isEmpty()) return;
        String image = m.runningImage;
        if (!image.isEmpty() && !image.equals(m.assignment.get("image").asText())) {
            return; // being replaced: the process that answers is not the assigned version
        }
        try {
            server.send(
                    "PUT",
                    m.endpointPath(),
                    ServerClient.map(
                            "version",
                            m.assignment.get("version").asText(),
                            "lease",
                            leaseId,
                            "registeredBy",
                            "AGENT",
                            "metadata",
                            Map.of("container", m.id, "host", config.name())));
            m.registered = true;
            log.info("endpoint registered id={} endpoint={}", m.id, m.endpoint());
        } catch (IOException e) {
            log.warn("registering failed id={} reason=\"{}\"", m.id, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deregister(Managed m) {
        if (!m.registered) return;
        m.registered = false;
        try {
            server.send("DELETE", m.endpointPath(), null);
            log.info("endpoint deregistered id={} endpoint={}", m.id, m.endpoint());
        } catch (ServerClient.Refused r) {
            if (r.status != 404) log.warn("deregistering failed id={} reason=\"{}\"", m.id, r.getMessage());
        } catch (IOException e) {
            log.warn("deregistering failed id={} reason=\"{}\"", m.id, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The report of every container, for the heartbeat. */
    List<Map<String, Object>> report() {
        return managed.values().stream()
                .map(m -> ServerClient.map(
                        "id",
                        m.id,
                        "state",
                        stopping.contains(m.id) ? "STOPPING" : m.state,
                        "pid",
                        m.pid,
                        "healthy",
                        m.healthy,
                        "registered",
                        m.registered,
                        "restarts",
                        m.restarts,
                        "lastExit",
                        m.lastExit,
                        "rssBytes",
                        m.pid > 0 ? HostStats.rssBytes(m.pid) : 0,
                        "cpuSeconds",
                        m.pid > 0 ? HostStats.cpuSeconds(m.pid) : 0))
                .toList();
    }
}
