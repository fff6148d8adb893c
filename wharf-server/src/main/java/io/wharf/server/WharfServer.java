package io.wharf.server;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.wharf.server.api.ApiServer;
import io.wharf.server.artifact.ArtifactStore;
import io.wharf.server.cluster.Cluster;
import io.wharf.server.cluster.Images;
import io.wharf.server.cluster.JoinTokens;
import io.wharf.server.registry.Registry;
import io.wharf.server.release.Releases;
import io.wharf.server.scale.ScaleOuts;
import io.wharf.store.Store;
import io.wharf.store.jdbc.JdbcStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One control-plane process: store, registry, API. Built from a {@link ServerConfig}, closed in reverse. */
public final class WharfServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WharfServer.class);

    private enum State {
        RUNNING,
        CLOSED
    }

    private final ServerConfig config;
    private final AdminToken.Loaded token;
    private final Store store;
    private final Registry registry;
    private final Cluster cluster;
    private final JoinTokens joinTokens;
    private final ApiServer api;
    private final MeterRegistry meters;
    private final ScaleOuts scaleOuts;
    private final Releases releases;
    private final Deque<AutoCloseable> closeOrder = new ArrayDeque<>();
    private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);

    private WharfServer(
            ServerConfig config,
            AdminToken.Loaded token,
            Store store,
            Registry registry,
            Cluster cluster,
            JoinTokens joinTokens,
            ApiServer api,
            MeterRegistry meters,
            ScaleOuts scaleOuts,
            Releases releases) {
        this.config = config;
        this.meters = meters;
        this.scaleOuts = scaleOuts;
        this.releases = releases;
        this.cluster = cluster;
        this.joinTokens = joinTokens;
        this.token = token;
        this.store = store;
        this.registry = registry;
        this.api = api;
        closeOrder.push(store);
        closeOrder.push(registry);
        closeOrder.push(scaleOuts);
        closeOrder.push(releases);
        closeOrder.push(api);
    }

    /** Starts a server; on failure, whatever was started is closed again. */
    public static WharfServer start(ServerConfig config) {
        requireNonNull(config, "config");
        AdminToken.Loaded token = AdminToken.loadOrCreate(config.dataDir());
        Store store = config.storeUrl().map(JdbcStore::open).orElseGet(() -> JdbcStore.openEmbedded(config.dataDir()));
        Registry registry = null;
        ScaleOuts scaleOuts = null;
        Releases releases = null;
        try {
            PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new JvmMemoryMetrics().bindTo(meters);
            new JvmGcMetrics().bindTo(meters);
            new JvmThreadMetrics().bindTo(meters);
            new ProcessorMetrics().bindTo(meters);
            registry = Registry.start(store, config.registry(), meters);
            Images images = new Images(
                    store.cluster(), new ArtifactStore(config.dataDir().resolve("artifacts")), Clock.systemUTC());
            Cluster cluster = new Cluster(store, registry, images, Clock.systemUTC());
            JoinTokens joinTokens = new JoinTokens(store.cluster());
            scaleOuts = new ScaleOuts(
                    store,
                    cluster,
                    Clock.systemUTC(),
                    config.scanInterval(),
                    config.scaleOutParallelism(),
                    Duration.ofMinutes(2));
            releases = new Releases(store, cluster, registry, Clock.systemUTC());
            ApiServer api = ApiServer.start(
                    registry,
                    cluster,
                    scaleOuts,
                    releases,
                    joinTokens,
                    meters,
                    token.token(),
                    config.host(),
                    config.port(),
                    config.keepAlive());
            log.info(
                    "wharf server listening address=http://{}:{} data={} store={}",
                    config.host(),
                    api.port(),
                    config.dataDir(),
                    store.describe());
            WharfServer server = new WharfServer(
                    config, token, store, registry, cluster, joinTokens, api, meters, scaleOuts, releases);
            scaleOuts.start();
            releases.start();
            return server;
        } catch (RuntimeException e) {
            if (scaleOuts != null) scaleOuts.close();
            if (releases != null) releases.close();
            if (registry != null) registry.close();
            store.close();
            throw e;
        }
    }

    /** The meters behind {@code /metrics}; components running in the server's process add theirs here. */
    public MeterRegistry meters() {
        return meters;
    }

    /** The scale-out tasks. */
    public ScaleOuts scaleOuts() {
        return scaleOuts;
    }

    /** The settings it runs with. */
    public ServerConfig config() {
        return config;
    }

    /** The admin token, and whether this start created it. */
    public AdminToken.Loaded adminToken() {
        return token;
    }

    /** The registry. */
    public Registry registry() {
        return registry;
    }

    /** The cluster: images, specs, hosts, containers. */
    public Cluster cluster() {
        return cluster;
    }

    /** The join tokens. */
    public JoinTokens joinTokens() {
        return joinTokens;
    }

    /** The store. */
    public Store store() {
        return store;
    }

    /** The port the API listens on. */
    public int port() {
        return api.port();
    }

    /** The API's base URL. */
    public String url() {
        return "http://" + config.host() + ":" + port();
    }

    @Override
    public void close() {
        if (!state.compareAndSet(State.RUNNING, State.CLOSED)) {
            return;
        }
        while (!closeOrder.isEmpty()) {
            AutoCloseable c = closeOrder.pop();
            try {
                c.close();
            } catch (Exception e) {
                log.warn("closing {} failed", c.getClass().getSimpleName(), e);
            }
        }
        log.info("wharf server stopped");
    }
}
