package io.wharf.server;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.wharf.core.DataDir;
import io.wharf.server.api.ApiServer;
import io.wharf.server.artifact.ArtifactStore;
import io.wharf.server.auth.Tokens;
import io.wharf.server.autoscale.Autoscaler;
import io.wharf.server.clients.Clients;
import io.wharf.server.cluster.Cluster;
import io.wharf.server.cluster.ClusterView;
import io.wharf.server.cluster.Images;
import io.wharf.server.intake.Intakes;
import io.wharf.server.migration.MigrationKind;
import io.wharf.server.migration.Migrations;
import io.wharf.server.operation.Actions;
import io.wharf.server.operation.OperationEngine;
import io.wharf.server.registry.Registry;
import io.wharf.server.release.ReleaseKind;
import io.wharf.server.scalein.ScaleInKind;
import io.wharf.server.scaleout.ScaleOutKind;
import io.wharf.server.scaleout.ScaleOutProjection;
import io.wharf.store.Store;
import io.wharf.store.jdbc.JdbcStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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
    private final Tokens tokens;
    private final ApiServer api;
    private final MeterRegistry meters;
    private final OperationEngine operations;
    private final Autoscaler autoscaler;
    private final Intakes intakes;
    private final Deque<AutoCloseable> closeOrder = new ArrayDeque<>();
    private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);

    private WharfServer(
            ServerConfig config,
            AdminToken.Loaded token,
            Store store,
            Registry registry,
            Cluster cluster,
            Tokens tokens,
            ApiServer api,
            MeterRegistry meters,
            OperationEngine operations,
            Autoscaler autoscaler,
            Intakes intakes,
            ExecutorService notifier) {
        this.config = config;
        this.autoscaler = autoscaler;
        this.intakes = intakes;
        this.meters = meters;
        this.operations = operations;
        this.cluster = cluster;
        this.tokens = tokens;
        this.token = token;
        this.store = store;
        this.registry = registry;
        this.api = api;
        closeOrder.push(store);
        closeOrder.push(registry);
        closeOrder.push(notifier::shutdownNow);
        closeOrder.push(operations);
        closeOrder.push(autoscaler);
        closeOrder.push(intakes);
        closeOrder.push(api);
    }

    /** Starts a server; on failure, whatever was started is closed again. */
    public static WharfServer start(ServerConfig config) {
        requireNonNull(config, "config");
        DataDir.create(config.dataDir());
        AdminToken.Loaded token = AdminToken.loadOrCreate(config.dataDir());
        Store store;
        try {
            store = config.storeUrl()
                    .map(JdbcStore::open)
                    .orElseGet(() -> JdbcStore.openEmbedded(config.dataDir(), config.storeSync()));
            DataDir.ownerOnly(config.dataDir());
        } catch (RuntimeException e) {
            token.forget();
            throw e;
        }
        Clock clock = Clock.systemUTC();
        ExecutorService notifier = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("wharf-assignments-notify-", 0).factory());
        Registry registry = null;
        OperationEngine operations = null;
        Autoscaler autoscaler = null;
        Intakes intakes = null;
        try {
            PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new JvmMemoryMetrics().bindTo(meters);
            new JvmGcMetrics().bindTo(meters);
            new JvmThreadMetrics().bindTo(meters);
            new ProcessorMetrics().bindTo(meters);
            if (config.storeUrl().isEmpty() && store instanceof JdbcStore embedded) {
                FunctionCounter.builder("wharf.store.syncs", embedded, JdbcStore::syncs)
                        .description("Times the embedded store forced its writes to the device (--store-sync=fsync)")
                        .register(meters);
                FunctionCounter.builder(
                                "wharf.store.sync.seconds", embedded, s -> s.syncTime(TimeUnit.MICROSECONDS) / 1e6)
                        .description("Time the embedded store spent forcing its writes to the device")
                        .register(meters);
            }
            registry = Registry.start(store, config.registry(), meters);
            Images images = new Images(
                    store.cluster(), new ArtifactStore(config.dataDir().resolve("artifacts")), clock);
            Cluster cluster = new Cluster(store, registry, images, clock, notifier);
            Tokens tokens = new Tokens(store.tokens(), token.token(), clock);
            ReleaseKind releases = new ReleaseKind();
            ScaleOutKind scaleOuts =
                    new ScaleOutKind(config.scanInterval(), config.scaleOutParallelism(), Duration.ofMinutes(2));
            ScaleInKind scaleIns = new ScaleInKind();
            MigrationKind migrationKind = new MigrationKind();
            Clients clients = new Clients(clock);
            operations = new OperationEngine(
                            store.operations(),
                            services -> cluster.view(services)
                                    .withClients(new ClusterView.ClientsView(clients.since(), clients.all())),
                            new Actions(cluster, registry),
                            clock,
                            OperationEngine.Settings.defaults())
                    .register(releases)
                    .register(scaleOuts)
                    .register(scaleIns)
                    .register(migrationKind);
            Migrations migrations = new Migrations(migrationKind).follow(operations);
            clients.onReport(operations::wake);
            operations.onSaved(scaleOuts, new ScaleOutProjection(store.operations()));
            cluster.onReport(operations::wake);
            registry.settling().check(cluster::settled);
            cluster.onReport(registry.settling()::recheck);
            registry.watchers().onAcknowledge(operations::wake);
            autoscaler = new Autoscaler(cluster, operations, scaleIns, store.autoscale(), clock, meters);
            cluster.onReport(autoscaler::wake);
            cluster.onApply(autoscaler::wake);
            intakes = new Intakes(
                    cluster,
                    registry,
                    store.intakeResults(),
                    config.dataDir().resolve("intake"),
                    config.host(),
                    clock,
                    meters);
            Intakes started = intakes;
            cluster.onApply(() -> Thread.ofVirtual().name("wharf-intakes").start(started::reconcile));
            ApiServer api = ApiServer.start(
                    new ApiServer.Parts(
                            registry,
                            cluster,
                            operations,
                            releases,
                            scaleOuts,
                            scaleIns,
                            autoscaler,
                            intakes,
                            migrationKind,
                            migrations,
                            clients,
                            tokens,
                            meters,
                            clock),
                    config.host(),
                    config.port(),
                    config.keepAlive());
            registry.settling().begin();
            log.info(
                    "wharf server listening address=http://{}:{} data={} store={}",
                    config.host(),
                    api.port(),
                    config.dataDir(),
                    store.describe());
            WharfServer server = new WharfServer(
                    config,
                    token,
                    store,
                    registry,
                    cluster,
                    tokens,
                    api,
                    meters,
                    operations,
                    autoscaler,
                    intakes,
                    notifier);
            operations.start();
            autoscaler.start();
            intakes.reconcile();
            return server;
        } catch (RuntimeException e) {
            if (intakes != null) intakes.close();
            if (autoscaler != null) autoscaler.close();
            if (operations != null) operations.close();
            if (registry != null) registry.close();
            notifier.shutdownNow();
            store.close();
            token.forget();
            throw e;
        }
    }

    /** The meters behind {@code /metrics}; components running in the server's process add theirs here. */
    public MeterRegistry meters() {
        return meters;
    }

    /** The fair intakes the specs ask for, run in the server's process. */
    public Intakes intakes() {
        return intakes;
    }

    /** The autoscaler, which also starts the scale-in of every service whose count went down. */
    public Autoscaler autoscaler() {
        return autoscaler;
    }

    /** The engine of long operations: releases, scale-out tasks, scale-ins. */
    public OperationEngine operations() {
        return operations;
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

    /** Every token but the admin's: join, host, read and namespace tokens. */
    public Tokens tokens() {
        return tokens;
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
