package io.wharf.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wharf.agent.runtime.process.ProcessRuntime;
import io.wharf.client.wire.Protocol;
import io.wharf.core.Durations;
import io.wharf.core.registry.ServiceKey;
import io.wharf.lb.LbSettings;
import io.wharf.lb.LoadBalancer;
import io.wharf.lb.RegistryFeed;
import io.wharf.lb.Route;
import io.wharf.lb.balance.Rule;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One host's agent: joins, then runs three loops — heartbeats every second, a long-poll of the host's
 * assignments, and the supervisor's converge tick — and the host's load balancer, which serves the published
 * ports the assignments list. Stopping the agent leaves its containers running, so a restarted agent adopts
 * them; the load balancer stops with it.
 */
public final class WharfAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WharfAgent.class);
    /** How soon a heartbeat follows a change the server waits on. */
    private static final Duration SOON = Duration.ofMillis(20);

    private final AgentConfig config;
    private final ServerClient server;
    private final Supervisor supervisor;
    private final ScheduledExecutorService ticks = Executors.newScheduledThreadPool(
            2, Thread.ofPlatform().name("wharf-agent-", 0).daemon().factory());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean beatSoon = new AtomicBoolean();
    /** One heartbeat at a time, so that the server gets them in the order they were taken. */
    private final Object beatLock = new Object();

    private final Thread watcher;
    private final Optional<LoadBalancer> loadBalancer;

    private WharfAgent(AgentConfig config, MeterRegistry meters) {
        this.config = config;
        this.server = new ServerClient(config.server(), config.joinToken());
        this.loadBalancer = config.loadBalancerAddress()
                .map(address -> new LoadBalancer(
                        LbSettings.defaults().withAddress(address),
                        new RegistryFeed(config.server(), config.joinToken(), "lb@" + config.name()),
                        meters));
        this.supervisor = new Supervisor(
                config,
                new ProcessRuntime(config.dataDir().resolve("containers"), config.javaHome()),
                server,
                this::changed);
        this.loadBalancer.ifPresent(lb -> lb.onChange(this::reportSoon));
        this.watcher = Thread.ofVirtual().name("wharf-agent-assignments").unstarted(this::watchAssignments);
    }

    /**
     * Joins the server and starts the loops.
     *
     * @throws IOException if the server refuses the join (e.g. a wrong token) or cannot be reached
     */
    public static WharfAgent start(AgentConfig config) throws IOException, InterruptedException {
        return start(config, new SimpleMeterRegistry());
    }

    /** As {@link #start(AgentConfig)}, with the load balancer's meters in {@code meters}. */
    public static WharfAgent start(AgentConfig config, MeterRegistry meters) throws IOException, InterruptedException {
        WharfAgent agent = new WharfAgent(config, meters);
        JsonNode host;
        try {
            host = agent.join();
        } catch (IOException | InterruptedException | RuntimeException e) {
            agent.loadBalancer.ifPresent(LoadBalancer::close);
            throw e;
        }
        agent.supervisor.lease(host.path("lease").asText(""));
        log.info("agent joined host={} server={} pool={}", config.name(), config.server(), config.ipPool());
        agent.watcher.start();
        long beat = config.heartbeat().toMillis();
        agent.ticks.scheduleWithFixedDelay(agent::heartbeat, 0, beat, TimeUnit.MILLISECONDS);
        agent.ticks.scheduleWithFixedDelay(agent::tick, 0, 250, TimeUnit.MILLISECONDS);
        return agent;
    }

    private void tick() {
        try {
            supervisor.tick();
        } catch (RuntimeException e) {
            log.error("converge failed", e);
        }
    }

    /** A container started, stopped, or passed or failed its checks: converge and tell the server soon. */
    private void changed() {
        try {
            ticks.execute(this::tick);
        } catch (RejectedExecutionException stopping) {
            return; // the agent is closing
        }
        reportSoon();
    }

    /**
     * Sends a heartbeat within {@link #SOON} — one for any number of calls meanwhile — because something a
     * release or the scheduler waits on changed: a container's process or health, or what the load balancer
     * has applied or still has in flight.
     */
    private void reportSoon() {
        if (beatSoon.compareAndSet(false, true)) {
            try {
                ticks.schedule(
                        () -> {
                            beatSoon.set(false);
                            heartbeat();
                        },
                        SOON.toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                beatSoon.set(false); // the agent is closing
            }
        }
    }

    private volatile boolean serverDown;

    private void heartbeat() {
        synchronized (beatLock) {
            beat();
        }
    }

    private void beat() {
        // a published port that could not be bound (taken, say) is tried again every beat
        loadBalancer.filter(lb -> !lb.problems().isEmpty()).ifPresent(lb -> lb.apply(lb.routes()));
        try {
            JsonNode host = server.send(
                    "PUT",
                    "/v1/hosts/" + config.name() + "/heartbeat",
                    ServerClient.map(
                            "usage", HostStats.usage(config.dataDir()),
                            "containers", supervisor.report(),
                            "loadBalancer",
                                    loadBalancer.map(this::loadBalancerReport).orElse(null)),
                    Duration.ofSeconds(2));
            supervisor.lease(host.path("lease").asText(""));
            if (serverDown) log.info("server reachable again");
            serverDown = false;
        } catch (IOException e) {
            if (!serverDown) log.warn("heartbeat failed: {}", e.getMessage());
            serverDown = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void watchAssignments() {
        long index = -1; // the first read, and the first after an error, returns at once
        while (running.get()) {
            try {
                JsonNode a = server.send(
                        "GET",
                        "/v1/hosts/" + config.name() + "/assignments"
                                + (index < 0 ? "" : "?index=" + index + "&wait=30s"),
                        null,
                        Duration.ofSeconds(40));
                index = a.get("revision").asLong();
                supervisor.assign(a);
                loadBalancer.ifPresent(lb -> lb.apply(routes(a.path("loadBalancer"))));
                supervisor.tick();
            } catch (IOException e) {
                if (e instanceof ServerClient.Refused r && r.status == 404) {
                    rejoin();
                }
                sleepQuietly(1000);
                index = -1;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("applying assignments failed", e);
                sleepQuietly(1000);
                index = -1;
            }
        }
    }

    /** The published ports to serve, as the server assigned them (claim 004.4). */
    static List<Route> routes(JsonNode list) {
        List<Route> routes = new ArrayList<>();
        for (JsonNode r : list) {
            try {
                routes.add(new Route(
                        new ServiceKey(
                                r.path("namespace").asText(), r.path("service").asText()),
                        Protocol.valueOf(r.path("protocol").asText("HTTP")),
                        r.path("external").asInt(),
                        r.path("port").asInt(),
                        r.path("contextPath").asText("/"),
                        Rule.parse(r.path("rule").asText("round-robin")),
                        Optional.ofNullable(r.path("hashHeader").textValue()),
                        Duration.ofMillis(r.path("slowStartMillis").asLong(0))));
            } catch (RuntimeException e) {
                log.warn("ignoring a load-balancer route the agent cannot serve: {} ({})", r, e.getMessage());
            }
        }
        return routes;
    }

    private Map<String, Object> loadBalancerReport(LoadBalancer lb) {
        Map<String, Object> ports = new LinkedHashMap<>();
        lb.ports().forEach((port, protocol) -> ports.put(String.valueOf(port), protocol.name()));
        Map<String, Object> problems = new LinkedHashMap<>();
        lb.problems().forEach((port, why) -> problems.put(String.valueOf(port), why));
        List<Object> services = new ArrayList<>();
        for (LoadBalancer.ServiceLoad s : lb.load()) {
            Map<String, Integer> inFlight = new LinkedHashMap<>();
            s.inFlight().forEach((id, n) -> inFlight.put(id.toString(), n));
            Map<String, Object> served = new LinkedHashMap<>();
            s.served()
                    .forEach((id, n) -> served.put(
                            id.toString(),
                            ServerClient.map(
                                    "requests", n.requests(),
                                    "failures", n.failures(),
                                    "totalMicros", n.totalNanos() / 1000)));
            services.add(ServerClient.map(
                    "namespace", s.service().namespace(),
                    "service", s.service().service(),
                    "rule", s.rule().text(),
                    "slowStart", Durations.format(s.slowStart()),
                    "revision", s.revision(),
                    "inFlight", inFlight,
                    "served", served));
        }
        return ServerClient.map(
                "address", config.loadBalancerAddress().orElse(""),
                "ports", ports,
                "problems", problems,
                "services", services);
    }

    private JsonNode join() throws IOException, InterruptedException {
        return server.send(
                "POST",
                "/v1/hosts/join",
                ServerClient.map(
                        "name", config.name(),
                        "address", config.address(),
                        "ipPool", config.ipPool(),
                        "cpuMillis", config.cpuMillis(),
                        "memoryMb", config.memoryMb()));
    }

    /** After a server lost this host (e.g. a wiped database), join again. */
    private void rejoin() {
        try {
            supervisor.lease(join().path("lease").asText(""));
        } catch (IOException e) {
            log.warn("rejoin failed: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the agent; its containers keep running. */
    @Override
    public void close() {
        if (running.compareAndSet(true, false)) {
            ticks.shutdownNow();
            watcher.interrupt();
            loadBalancer.ifPresent(LoadBalancer::close);
            log.info("agent stopped host={}; its containers keep running", config.name());
        }
    }
}
