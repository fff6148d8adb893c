package io.wharf.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.agent.runtime.process.ProcessRuntime;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One host's agent: joins, then runs three loops — heartbeats every second, a long-poll of the host's
 * assignments, and the supervisor's converge tick. Stopping the agent leaves its containers running, so a
 * restarted agent adopts them.
 */
public final class WharfAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WharfAgent.class);

    private final AgentConfig config;
    private final ServerClient server;
    private final Supervisor supervisor;
    private final ScheduledExecutorService ticks = Executors.newScheduledThreadPool(
            2, Thread.ofPlatform().name("wharf-agent-", 0).daemon().factory());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread watcher;

    private WharfAgent(AgentConfig config) {
        this.config = config;
        this.server = new ServerClient(config.server(), config.joinToken());
        this.supervisor = new Supervisor(
                config, new ProcessRuntime(config.dataDir().resolve("containers"), config.javaHome()), server);
        this.watcher = Thread.ofVirtual().name("wharf-agent-assignments").unstarted(this::watchAssignments);
    }

    /**
     * Joins the server and starts the loops.
     *
     * @throws IOException if the server refuses the join (e.g. a wrong token) or cannot be reached
     */
    public static WharfAgent start(AgentConfig config) throws IOException, InterruptedException {
        WharfAgent agent = new WharfAgent(config);
        JsonNode host = agent.join();
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

    private volatile boolean serverDown;

    private void heartbeat() {
        try {
            JsonNode host = server.send(
                    "PUT",
                    "/v1/hosts/" + config.name() + "/heartbeat",
                    ServerClient.map("usage", HostStats.usage(config.dataDir()), "containers", supervisor.report()),
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
        long index = 0;
        while (running.get()) {
            try {
                JsonNode a = server.send(
                        "GET",
                        "/v1/hosts/" + config.name() + "/assignments?index=" + index + "&wait=30s",
                        null,
                        Duration.ofSeconds(40));
                index = a.get("revision").asLong();
                supervisor.assign(a);
                supervisor.tick();
            } catch (IOException e) {
                if (e instanceof ServerClient.Refused r && r.status == 404) {
                    rejoin();
                }
                sleepQuietly(1000);
                index = 0;
            } catch (InterruptedException e) {
                return;
            }
        }
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
            log.info("agent stopped host={}; its containers keep running", config.name());
        }
    }
}
