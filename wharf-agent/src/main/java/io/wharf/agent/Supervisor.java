package io.wharf.agent;

import io.wharf.agent.runtime.ContainerRuntime;
import io.wharf.agent.runtime.ContainerRuntime.Status;
import io.wharf.agent.runtime.ContainerSpec;
import io.wharf.client.ApiException;
import io.wharf.client.ClientException;
import io.wharf.client.WharfClient;
import io.wharf.client.wire.Assignment;
import io.wharf.client.wire.Assignments;
import io.wharf.client.wire.ContainerReport;
import io.wharf.client.wire.ContainerState;
import io.wharf.client.wire.Desired;
import io.wharf.client.wire.RegisterEndpoint;
import io.wharf.client.wire.RegisteredBy;
import io.wharf.client.wire.VolumeMount;
import io.wharf.client.wire.VolumeReport;
import io.wharf.core.spec.VolumeSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private final WharfClient client;
    private final RestartCounts restartCounts;
    private final HostVolumes volumes;
    private final Map<String, Managed> managed = new ConcurrentHashMap<>();
    private final Set<String> stopping = ConcurrentHashMap.newKeySet();
    private volatile Map<String, Assignment> desired = Map.of();
    private volatile String leaseId = "";
    /** Told when a container starts, stops or passes or fails its checks, so the server hears soon. */
    private final Runnable changed;

    Supervisor(AgentConfig config, ContainerRuntime runtime, WharfClient client, Runnable changed) {
        this.config = config;
        this.runtime = runtime;
        this.client = client;
        this.changed = changed;
        this.restartCounts = new RestartCounts(config.dataDir());
        this.volumes = new HostVolumes(config.dataDir().resolve("volumes"));
    }

    /** New assignments from the server. */
    void assign(Assignments assignments) {
        Map<String, Assignment> next = new HashMap<>();
        assignments.containers().forEach(c -> next.put(c.id(), c));
        desired = next;
        lease(assignments.lease());
        sweep(next);
        for (String dir : assignments.deleteVolumes()) {
            // the server names only volumes of ordinals it placed nowhere here; one still running waits
            if (next.containsKey(dir) || managed.containsKey(dir)) continue;
            try {
                volumes.delete(dir);
            } catch (IOException e) {
                log.warn("deleting volumes failed dir={} reason=\"{}\"", dir, e.getMessage());
            }
        }
    }

    /**
     * Stops and removes the containers the runtime runs that the server assigns to run nowhere here, and that
     * this agent does not manage: left by an agent whose assignments changed while it was away, or by a server
     * that lost them. The server's assignments are the one source of truth of what runs on the host.
     */
    private void sweep(Map<String, Assignment> next) {
        for (String id : runtime.running().keySet()) {
            Assignment a = next.get(id);
            if ((a != null && a.desired() == Desired.RUNNING) || managed.containsKey(id) || !stopping.add(id)) {
                continue;
            }
            Thread.ofVirtual().name("wharf-sweep-" + id).start(() -> {
                try {
                    log.warn("container running that is not assigned here id={}; stopping and removing it", id);
                    runtime.stop(id, config.stopGrace());
                    runtime.remove(id);
                    restartCounts.remove(id);
                } catch (IOException | RuntimeException e) {
                    log.warn("removing an unassigned container failed id={} reason=\"{}\"", id, e.getMessage());
                } finally {
                    stopping.remove(id);
                }
            });
        }
    }

    /** The volumes on the host, for the heartbeat. */
    List<VolumeReport> volumes() {
        return volumes.report();
    }

    /** The host's lease; endpoints registered on an earlier one have left the registry with it. */
    void lease(String id) {
        if (!id.isEmpty() && !id.equals(leaseId)) {
            if (!leaseId.isEmpty()) log.info("host lease changed lease={}; registering endpoints again", id);
            leaseId = id;
            long now = System.nanoTime();
            managed.values().forEach(m -> {
                m.registered = false;
                m.nextCheckNanos = now; // checked, and so registered again, at once
            });
            changed.run();
        }
    }

    /**
     * What the registry holds on the host's lease, as a heartbeat sent at {@code sentNanos} found it, as
     * {@code namespace/service/ip_port}. An endpoint registered before then that two heartbeats in a row find
     * missing was removed from outside (deregistered by hand, say): it is registered again at once while its
     * container is healthy and its registration active. (One missing heartbeat may be a release that paused
     * the registration and took the endpoint out, its new assignment still on its way here.) To take a
     * container's endpoint out for good, pause its registration.
     */
    void held(List<String> endpoints, long sentNanos) {
        Set<String> held = Set.copyOf(endpoints);
        boolean lost = false;
        for (Managed m : managed.values()) {
            boolean missing = m.registered && m.registeredAtNanos - sentNanos < 0 && !held.contains(m.registryKey());
            m.missedBeats = missing ? m.missedBeats + 1 : 0;
            if (missing && m.missedBeats >= 2 && m.registrationActive()) {
                log.warn(
                        "endpoint missing from the registry id={} endpoint={}; registering it again",
                        m.id,
                        m.endpoint());
                m.registered = false;
                m.missedBeats = 0;
                m.nextCheckNanos = System.nanoTime();
                lost = true;
            }
        }
        if (lost) changed.run();
    }

    synchronized void tick() {
        long now = System.nanoTime();
        for (Assignment a : desired.values()) {
            if (a.desired() != Desired.RUNNING) continue;
            Managed m = managed.computeIfAbsent(a.id(), i -> {
                Managed fresh = new Managed(i, a);
                fresh.restarts = restartCounts.get(i, a.image());
                return fresh;
            });
            m.assignment = a;
            if (!m.registrationActive() && m.registered) takeOut(m);
            if (m.starting) continue;
            if (m.running() && !m.runningImage.isEmpty() && !m.runningImage.equals(a.image())) {
                replace(m); // its image changed (claim 001.5): same IP and port, the new package
                continue;
            }
            converge(m, now);
        }
        for (Managed m : List.copyOf(managed.values())) {
            Assignment a = desired.get(m.id);
            if (a == null || a.desired() != Desired.RUNNING) {
                retire(m);
            }
        }
        for (Managed m : managed.values()) {
            if (m.running() && !m.checking && now - m.nextCheckNanos >= 0) {
                m.checking = true;
                Thread.ofVirtual().name("wharf-check-" + m.id).start(() -> check(m));
            }
        }
    }

    private void converge(Managed m, long now) {
        switch (runtime.status(m.id)) {
            case Status.Running r -> {
                if (!m.running()) {
                    log.info("container running id={} pid={}{}", m.id, r.pid(), m.everStarted ? "" : " (adopted)");
                    m.state = ContainerState.RUNNING;
                    m.everStarted = true;
                }
                if (m.runningImage.isEmpty()) {
                    m.runningImage = runtime.image(m.id).orElse(m.assignment.image());
                }
                m.pid = r.pid();
            }
            case Status.Exited e -> died(m, e.exit(), now);
            case Status.Unknown u -> {
                if (m.running()) died(m, "gone", now);
            }
        }
        if (!m.running() && now - m.backoffUntilNanos >= 0) {
            startSoon(m);
        }
    }

    /**
     * Starts a container on a thread of its own, at most {@link #STARTS_AT_ONCE} at a time: an engine that takes a
     * few hundred milliseconds per start (Docker) starts many at once faster than one after another.
     */
    private void startSoon(Managed m) {
        m.starting = true;
        Thread.ofVirtual().name("wharf-start-" + m.id).start(() -> {
            try {
                starts.acquire();
                m.lifecycle.lock();
                try {
                    if (!stopping.contains(m.id)) start(m, System.nanoTime());
                } finally {
                    m.lifecycle.unlock();
                    starts.release();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                m.starting = false;
            }
        });
    }

    /** How many containers may be starting at once. */
    static final int STARTS_AT_ONCE = 8;

    private final java.util.concurrent.Semaphore starts = new java.util.concurrent.Semaphore(STARTS_AT_ONCE);

    private void died(Managed m, String exit, long now) {
        if (!m.running()) return;
        m.restarts++;
        restartCounts.put(m.id, m.assignment.image(), m.restarts);
        m.lastExit = exit;
        Duration backoff = Duration.ofSeconds(1L << Math.min(m.restarts - 1, 5));
        backoff = backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff;
        m.backoffUntilNanos = now + backoff.toNanos();
        m.state = ContainerState.BACKOFF;
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

    private void start(Managed m, long now) {
        Assignment a = m.assignment;
        try {
            Map<String, String> env = identity(a);
            env.put("WHARF_VERSION", a.version());
            env.put("WHARF_IMAGE", a.image());
            Map<String, Path> mounts = new HashMap<>();
            for (VolumeMount v : a.volumes()) {
                Path dir = volumes.ensure(a.id(), v.name());
                mounts.put(v.path(), dir);
            }
            if (!a.peers().isEmpty()) env.put("WHARF_PEERS", a.peers());
            var spec = new ContainerSpec(
                    m.id,
                    a.image(),
                    a.sha256(),
                    a.filename(),
                    a.cmd(),
                    a.ip(),
                    a.port(),
                    env,
                    a.cpuMillis(),
                    a.memoryMb(),
                    mounts,
                    a.hostNetwork());
            if (runtime.start(spec) instanceof Status.Running r) {
                // everything else first: the health checks begin once the state says RUNNING
                m.runningImage = a.image();
                m.pid = r.pid();
                m.healthy = false;
                m.passedSinceStart = false;
                m.failures = 0;
                m.nextCheckNanos = now;
                m.startedAtNanos = now;
                m.state = ContainerState.RUNNING;
                if (m.everStarted) log.info("container restarted id={} restarts={}", m.id, m.restarts);
                m.everStarted = true;
                changed.run();
            }
        } catch (IOException | RuntimeException e) {
            m.state = ContainerState.FAILED;
            m.lastExit = "start failed: " + e.getMessage();
            m.restarts++;
            restartCounts.put(m.id, a.image(), m.restarts);
            m.backoffUntilNanos = now
                    + Duration.ofSeconds(Math.min(30, 1L << Math.min(m.restarts, 5)))
                            .toNanos();
            log.warn("container start failed id={} reason=\"{}\"", m.id, e.getMessage());
        }
    }

    /**
     * What tells a container who it is, beside its IP and port: its service, namespace, ordinal and name
     * ({@code service-ordinal}), and where its volumes are. The same for its process and its health command.
     */
    private Map<String, String> identity(Assignment a) {
        Map<String, String> env = new HashMap<>(a.env());
        env.put("WHARF_SERVICE", a.service());
        env.put("WHARF_NAMESPACE", a.namespace());
        env.put("WHARF_ORDINAL", Integer.toString(a.ordinal()));
        env.put("WHARF_NAME", a.service() + "-" + a.ordinal());
        for (VolumeMount v : a.volumes()) {
            env.put(
                    VolumeSpec.variable(v.name()),
                    volumes.path(a.id(), v.name()).toString());
        }
        return env;
    }

    private void retire(Managed m) {
        if (!stopping.add(m.id)) return;
        Thread.ofVirtual().name("wharf-stop-" + m.id).start(() -> {
            m.lifecycle.lock();
            try {
                deregister(m);
                runtime.stop(m.id, config.stopGrace());
                runtime.remove(m.id);
                managed.remove(m.id);
                restartCounts.remove(m.id);
                log.info("container retired id={}", m.id);
                changed.run();
            } catch (IOException | RuntimeException e) {
                log.warn("retiring container failed id={} reason=\"{}\"", m.id, e.getMessage());
            } finally {
                m.lifecycle.unlock();
                stopping.remove(m.id);
            }
        });
    }

    /**
     * Stops a container whose assigned image changed and lets the next tick start the new one in its place:
     * deregistered first (unless a release has paused its registration and done that itself), then stopped
     * within the grace period. Its checks and restarts count again from zero for the new image.
     */
    private void replace(Managed m) {
        if (!stopping.add(m.id)) return;
        String from = m.runningImage;
        Thread.ofVirtual().name("wharf-replace-" + m.id).start(() -> {
            m.lifecycle.lock();
            try {
                deregister(m);
                runtime.stop(m.id, config.stopGrace());
                m.state = ContainerState.STOPPED;
                m.healthy = false;
                m.runningImage = "";
                m.checks = 0;
                m.restarts = 0;
                restartCounts.put(m.id, m.assignment.image(), 0);
                m.lastExit = "";
                m.backoffUntilNanos = System.nanoTime();
                log.info("container replaced id={} image={} (was {})", m.id, m.assignment.image(), from);
                changed.run(); // the next tick starts the new version at once
            } catch (RuntimeException e) {
                log.warn("replacing container failed id={} reason=\"{}\"", m.id, e.getMessage());
            } finally {
                m.lifecycle.unlock();
                stopping.remove(m.id);
            }
        });
    }

    private void check(Managed m) {
        try {
            Assignment a = m.assignment;
            long interval = Duration.ofMillis(a.healthIntervalMillis()).toNanos();
            HealthCheck.Result probe = probe(a, m.passedSinceStart);
            // a process that has not passed yet is probed every STARTUP_PROBE within the interval, so that a
            // new version is known to serve within a fraction of the interval of opening its port
            long pid = m.pid;
            long until = System.nanoTime() + interval - STARTUP_PROBE.toNanos();
            while (probe != HealthCheck.Result.PASSED
                    && !m.passedSinceStart
                    && m.pid == pid
                    && System.nanoTime() < until) {
                Thread.sleep(STARTUP_PROBE);
                probe = probe(a, m.passedSinceStart);
            }
            boolean ok = probe == HealthCheck.Result.PASSED;
            boolean was = m.healthy;
            // a process still starting, its port not open yet, uses up none of its version's checks: a cold
            // start on a busy host is not a failed version (the server bounds the start by time instead)
            boolean counts = probe != HealthCheck.Result.NOT_LISTENING || m.passedSinceStart;
            if (m.runningImage.equals(a.image()) && counts) m.checks++;
            if (ok) {
                m.failures = 0;
                m.healthy = true;
                m.passedSinceStart = true;
                if (m.registrationActive() && !m.registered) register(m);
            } else if (++m.failures >= a.healthAttempts() || !m.healthy) {
                if (m.healthy) log.warn("container unhealthy id={} failures={}", m.id, m.failures);
                m.healthy = false;
                if (m.registrationActive()) deregister(m);
            }
            if (m.healthy != was || !m.passedSinceStart) changed.run();
            m.nextCheckNanos = System.nanoTime() + interval;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            m.checking = false;
        }
    }

    private HealthCheck.Result probe(Assignment a, boolean passedSinceStart) throws InterruptedException {
        if (a.healthCommand().isPresent()) {
            HealthCheck.Result r = command(a, a.healthCommand().get());
            // a server still starting fails its command as an HTTP one refuses connections: not counted yet
            return r == HealthCheck.Result.FAILED && !passedSinceStart ? HealthCheck.Result.NOT_LISTENING : r;
        }
        return HealthCheck.check(a.ip(), a.port(), a.healthPath().orElse(""), (int) a.healthTimeoutMillis());
    }

    /** A command check: exit 0 passes, anything else (or no end within the time-out) fails. */
    private HealthCheck.Result command(Assignment a, String command) throws InterruptedException {
        Map<String, String> env = identity(a);
        env.put("WHARF_IP", a.ip());
        env.put("PORT", Integer.toString(a.port()));
        try {
            Optional<Integer> exit = runtime.exec(a.id(), command, env, Duration.ofMillis(a.healthTimeoutMillis()));
            return exit.isPresent() && exit.get() == 0 ? HealthCheck.Result.PASSED : HealthCheck.Result.FAILED;
        } catch (IOException e) {
            log.warn("health command could not run id={} error=\"{}\"", a.id(), e.getMessage());
            return HealthCheck.Result.FAILED;
        }
    }

    private void register(Managed m) {
        if (leaseId.isEmpty()) return;
        Assignment a = m.assignment;
        if (!m.runningImage.isEmpty() && !m.runningImage.equals(a.image())) {
            return; // being replaced: the process that answers is not the assigned version
        }
        try {
            client.registry()
                    .register(
                            a.namespace(),
                            a.service(),
                            m.endpoint(),
                            new RegisterEndpoint(
                                    a.version(),
                                    null,
                                    null,
                                    leaseId,
                                    Map.of("container", m.id, "host", config.name()),
                                    null,
                                    RegisteredBy.AGENT));
            m.registeredAtNanos = System.nanoTime();
            m.registered = true;
            if (m.startedAtNanos != 0) {
                // the first since this agent started it: how long from its start to serving
                log.info(
                        "endpoint registered id={} endpoint={} serving_ms={}",
                        m.id,
                        m.endpoint(),
                        (m.registeredAtNanos - m.startedAtNanos) / 1_000_000);
                m.startedAtNanos = 0;
            } else {
                log.info("endpoint registered id={} endpoint={}", m.id, m.endpoint());
            }
        } catch (ClientException e) {
            log.warn("registering failed id={} reason=\"{}\"", m.id, e.getMessage());
        }
    }

    /**
     * Its registration paused: the server took its endpoint out as it paused it, but this agent may have put it back
     * meanwhile (a heartbeat that found it missing before the paused assignment came here), and a container
     * stopped after that would leave its endpoint on the host's lease for good. So it is deregistered here too
     * (a 404 if the server's removal was the last), off the tick's thread.
     */
    private void takeOut(Managed m) {
        m.registered = false;
        Assignment a = m.assignment;
        Thread.ofVirtual().name("wharf-take-out-" + m.id).start(() -> remove(m, a));
    }

    private void deregister(Managed m) {
        if (!m.registered) return;
        m.registered = false;
        remove(m, m.assignment);
    }

    /** Takes the container's endpoint out of the registry; one already gone is no failure. */
    private void remove(Managed m, Assignment a) {
        try {
            client.registry().deregister(a.namespace(), a.service(), m.endpoint());
            log.info("endpoint deregistered id={} endpoint={}", m.id, m.endpoint());
        } catch (ApiException r) {
            if (r.status() != 404) log.warn("deregistering failed id={} reason=\"{}\"", m.id, r.getMessage());
        } catch (ClientException e) {
            log.warn("deregistering failed id={} reason=\"{}\"", m.id, e.getMessage());
        }
    }

    /** The report of every container, for the heartbeat. */
    List<ContainerReport> report() {
        return managed.values().stream()
                .map(m -> {
                    var stats = m.pid > 0 ? runtime.stats(m.id) : java.util.Optional.<ContainerRuntime.Stats>empty();
                    return new ContainerReport(
                            m.id,
                            stopping.contains(m.id) ? ContainerState.STOPPING : m.state,
                            m.pid,
                            m.healthy,
                            m.registered,
                            m.restarts,
                            m.lastExit,
                            stats.map(ContainerRuntime.Stats::rssBytes).orElse(0L),
                            stats.map(ContainerRuntime.Stats::cpuSeconds).orElse(0.0),
                            m.runningImage,
                            m.checks,
                            stats.map(ContainerRuntime.Stats::diskBytes).orElse(0L),
                            stats.map(ContainerRuntime.Stats::diskReadBytes).orElse(0L),
                            stats.map(ContainerRuntime.Stats::diskWriteBytes).orElse(0L));
                })
                .toList();
    }
}
