package io.wharf.agent;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wharf.agent.runtime.PackageCache;
import io.wharf.agent.runtime.Runtimes;
import io.wharf.client.ApiException;
import io.wharf.client.ClientException;
import io.wharf.client.WharfClient;
import io.wharf.client.sdk.Rule;
import io.wharf.client.wire.Assignments;
import io.wharf.client.wire.Heartbeat;
import io.wharf.client.wire.HostInfo;
import io.wharf.client.wire.HostJoin;
import io.wharf.client.wire.HostJoined;
import io.wharf.client.wire.LbRoute;
import io.wharf.core.DataDir;
import io.wharf.core.registry.ServiceKey;
import io.wharf.lb.LbSettings;
import io.wharf.lb.LoadBalancer;
import io.wharf.lb.RegistryFeed;
import io.wharf.lb.Route;
import io.wharf.lb.haproxy.HaproxyConfig;
import io.wharf.lb.haproxy.HaproxyDataPlane;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One host's agent: joins, then runs three loops — heartbeats twice a second, a long-poll of the host's
 * assignments, and the supervisor's converge tick — and the host's load balancer, which serves the published
 * ports the assignments list. Stopping the agent leaves its containers running, so a restarted agent adopts
 * them; the load balancer stops with it.
 */
public final class WharfAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WharfAgent.class);
    /** How soon a heartbeat follows a change the server waits on. */
    private static final Duration SOON = Duration.ofMillis(20);

    private final AgentConfig config;
    private final Credentials credentials;
    private final WharfClient client;
    private final Supervisor supervisor;
    private final io.wharf.agent.runtime.ContainerRuntime runtime;
    private final ScheduledExecutorService ticks = Executors.newScheduledThreadPool(
            2, Thread.ofPlatform().name("wharf-agent-", 0).daemon().factory());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean beatSoon = new AtomicBoolean();
    /** One heartbeat at a time, so that the server gets them in the order they were taken. */
    private final Object beatLock = new Object();

    private final Thread watcher;
    private final Optional<LoadBalancer> loadBalancer;
    private volatile boolean serverDown;

    private WharfAgent(AgentConfig config, MeterRegistry meters) {
        this.config = config;
        DataDir.create(config.dataDir());
        this.credentials = Credentials.load(config.dataDir(), config.joinToken());
        this.client =
                WharfClient.builder(config.server()).token(credentials::current).build();
        // first the runtime, which may find no engine: then nothing else has started
        this.runtime = Runtimes.create(
                config.runtime(),
                config.name(),
                config.dataDir(),
                config.javaHome(),
                new PackageCache(config.dataDir().resolve("images"), client),
                config.dockerHost());
        this.loadBalancer = config.loadBalancerAddress().map(address -> loadBalancer(config, address, meters));
        this.supervisor = new Supervisor(config, runtime, client, this::changed);
        this.loadBalancer.ifPresent(lb -> lb.onChange(this::reportSoon));
        this.watcher = Thread.ofVirtual().name("wharf-agent-assignments").unstarted(this::watchAssignments);
    }

    private LoadBalancer loadBalancer(AgentConfig config, String address, MeterRegistry meters) {
        LbSettings settings = LbSettings.defaults().withAddress(address);
        RegistryFeed feed = new RegistryFeed(client, "lb@" + config.name());
        if (config.loadBalancer().name().equals(AgentConfig.LbEngine.BUILT_IN)) {
            return LoadBalancer.builtIn(settings, feed, meters);
        }
        try {
            HaproxyConfig template = config.loadBalancer().template().isPresent()
                    ? HaproxyConfig.of(
                            Files.readString(config.loadBalancer().template().get()))
                    : HaproxyConfig.builtIn();
            return new LoadBalancer(
                    HaproxyDataPlane.create(settings, config.dataDir().resolve("haproxy"), "haproxy", template, meters),
                    feed);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("--lb haproxy: " + e.getMessage(), e);
        }
    }

    /**
     * Joins the server and starts the loops.
     *
     * @throws ClientException if the server refuses the join (e.g. a wrong token) or cannot be reached
     * @throws IllegalArgumentException if the host has no token of its own yet and no join token was given
     */
    public static WharfAgent start(AgentConfig config) {
        return start(config, new SimpleMeterRegistry());
    }

    /** As {@link #start(AgentConfig)}, with the load balancer's meters in {@code meters}. */
    public static WharfAgent start(AgentConfig config, MeterRegistry meters) {
        WharfAgent agent = new WharfAgent(config, meters);
        HostInfo host;
        try {
            host = agent.join();
        } catch (RuntimeException e) {
            agent.close();
            throw e;
        }
        agent.supervisor.lease(host.lease());
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

    private void heartbeat() {
        synchronized (beatLock) {
            beat();
        }
    }

    private void beat() {
        // a published port that could not be bound (taken, say) is tried again every beat
        loadBalancer.filter(lb -> !lb.problems().isEmpty()).ifPresent(lb -> lb.apply(lb.routes()));
        long sent = System.nanoTime();
        try {
            HostInfo host = client.hosts()
                    .heartbeat(
                            config.name(),
                            new Heartbeat(
                                    HostStats.usage(config.dataDir()),
                                    supervisor.report(),
                                    loadBalancer
                                            .map(lb -> LoadBalancerReports.of(
                                                    lb,
                                                    config.loadBalancerAddress().orElse("")))
                                            .orElse(null),
                                    supervisor.volumes()),
                            Duration.ofSeconds(2));
            supervisor.lease(host.lease());
            supervisor.held(host.endpoints(), sent);
            if (serverDown) log.info("server reachable again");
            serverDown = false;
        } catch (ClientException e) {
            if (!serverDown) log.warn("heartbeat failed: {}", e.getMessage());
            serverDown = true;
        }
    }

    private void watchAssignments() {
        long index = -1; // the first read, and the first after an error, returns at once
        while (running.get()) {
            try {
                Assignments a = index < 0
                        ? client.hosts().assignments(config.name())
                        : client.hosts().assignmentsAfter(config.name(), index, Duration.ofSeconds(30));
                index = a.revision();
                supervisor.assign(a);
                loadBalancer.ifPresent(lb -> lb.apply(routes(a.loadBalancer())));
                supervisor.tick();
            } catch (ApiException e) {
                if (e.status() == 404 || e.status() == 401) rejoin(e);
                if (!pause()) return;
                index = -1;
            } catch (ClientException e) {
                if (!running.get()) return;
                if (!pause()) return;
                index = -1;
            } catch (RuntimeException e) {
                log.error("applying assignments failed", e);
                if (!pause()) return;
                index = -1;
            }
        }
    }

    /** Waits a second before trying again; false if the agent is closing. */
    private boolean pause() {
        try {
            Thread.sleep(1000);
            return running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The published ports to serve, as the server assigned them (claim 004.4). */
    static List<Route> routes(List<LbRoute> list) {
        List<Route> routes = new ArrayList<>();
        for (LbRoute r : list) {
            try {
                routes.add(new Route(
                        new ServiceKey(r.namespace(), r.service()),
                        r.protocol(),
                        r.external(),
                        r.port(),
                        r.contextPath().isEmpty() ? "/" : r.contextPath(),
                        Rule.parse(r.rule().isEmpty() ? "round-robin" : r.rule()),
                        r.hashHeader(),
                        Duration.ofMillis(r.slowStartMillis())));
            } catch (RuntimeException e) {
                log.warn("ignoring a load-balancer route the agent cannot serve: {} ({})", r, e.getMessage());
            }
        }
        return routes;
    }

    /**
     * Joins with the host's own token if it has one, else with the join token, and keeps the host token the
     * server issues; a refused host token gives way to the join token.
     */
    private HostInfo join() {
        HostJoin join = new HostJoin(
                config.name(),
                config.address(),
                config.ipPool(),
                config.cpuMillis(),
                config.memoryMb(),
                config.runtime());
        HostJoined joined;
        try {
            joined = client.hosts().join(join);
        } catch (ApiException e) {
            if (e.status() != 401 || !credentials.fallBack()) throw e;
            log.warn("the host token was refused ({}); joining with the join token", e.getMessage());
            joined = client.hosts().join(join);
        }
        joined.hostToken().ifPresent(t -> {
            credentials.issued(t);
            log.info("host token issued; kept in {}", config.dataDir().resolve(Credentials.FILE));
        });
        return joined.host();
    }

    /** After a server lost this host (removed, or a wiped database) or refused its token: join again. */
    private void rejoin(ApiException cause) {
        log.warn("the server no longer knows this host ({}); joining again", cause.getMessage());
        try {
            supervisor.lease(join().lease());
        } catch (ClientException e) {
            log.warn("rejoin failed: {}", e.getMessage());
        }
    }

    /** Stops the agent; its containers keep running. */
    @Override
    public void close() {
        if (running.compareAndSet(true, false)) {
            ticks.shutdownNow();
            watcher.interrupt();
            loadBalancer.ifPresent(LoadBalancer::close);
            if (runtime instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    log.warn("closing the container runtime failed: {}", e.getMessage());
                }
            }
            log.info("agent stopped host={}; its containers keep running", config.name());
        }
    }
}
