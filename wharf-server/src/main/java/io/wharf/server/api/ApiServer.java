package io.wharf.server.api;

import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.wharf.client.wire.Health;
import io.wharf.core.NotFoundException;
import io.wharf.core.WharfException;
import io.wharf.core.registry.ServiceKey;
import io.wharf.server.auth.Tokens;
import io.wharf.server.autoscale.Autoscaler;
import io.wharf.server.clients.Clients;
import io.wharf.server.cluster.Cluster;
import io.wharf.server.intake.Intakes;
import io.wharf.server.migration.MigrationKind;
import io.wharf.server.migration.Migrations;
import io.wharf.server.operation.OperationEngine;
import io.wharf.server.operation.OperationIds;
import io.wharf.server.registry.Registry;
import io.wharf.server.release.ReleaseKind;
import io.wharf.server.scalein.ScaleInKind;
import io.wharf.server.scaleout.ScaleOutKind;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The HTTP server: the REST API under {@code /v1}, {@code /metrics}, and the web console under {@code /ui}. */
public final class ApiServer implements AutoCloseable {
    /** The largest request body accepted. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private final Javalin app;
    private final EventStreams streams;
    private final ConsoleRoutes console;
    private final ExecutorService responder = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("wharf-api-respond-", 0).factory());

    /** What the API serves. */
    public record Parts(
            Registry registry,
            Cluster cluster,
            OperationEngine engine,
            ReleaseKind releases,
            ScaleOutKind scaleOuts,
            ScaleInKind scaleIns,
            Autoscaler autoscaler,
            Intakes intakes,
            MigrationKind migrationKind,
            Migrations migrations,
            Clients clients,
            Tokens tokens,
            PrometheusMeterRegistry meters,
            Clock clock) {}

    private ApiServer(Parts p, Duration keepAlive) {
        this.streams = new EventStreams(p.registry(), keepAlive);
        Access access = new Access(p.tokens(), p.cluster().hosts());
        OperationIds ids = new OperationIds(p.clock());
        ClusterViews views = new ClusterViews(p.cluster(), p.registry(), p.clock());
        ClusterRoutes clusterRoutes = new ClusterRoutes(p.cluster(), views, access, this::port);
        HostRoutes hostRoutes = new HostRoutes(p.cluster(), views, access, p.tokens(), responder);
        TokenRoutes tokenRoutes = new TokenRoutes(p.tokens(), access);
        RegistryRoutes registryRoutes = new RegistryRoutes(p.registry(), p.cluster(), access);
        WatchRoutes watchRoutes = new WatchRoutes(p.registry(), access, responder);
        ScaleOutRoutes scaleOutRoutes = new ScaleOutRoutes(
                p.engine(), p.scaleOuts(), p.cluster(), ids, new OperationViews(p.clock()), p.clock(), access);
        ReleaseRoutes releaseRoutes = new ReleaseRoutes(p.engine(), p.releases(), p.cluster(), ids, access);
        ClientRoutes clientRoutes = new ClientRoutes(p.clients(), p.migrations(), access, p.clock());
        MigrationRoutes migrationRoutes = new MigrationRoutes(
                p.engine(), p.migrationKind(), p.migrations(), p.clients(), p.cluster(), ids, access, p.clock());
        AutoscaleRoutes autoscaleRoutes =
                new AutoscaleRoutes(p.autoscaler(), p.engine(), p.scaleIns(), p.cluster(), access);
        this.console = new ConsoleRoutes(p, access, views, clusterRoutes, releaseRoutes);
        Registry registry = p.registry();
        PrometheusMeterRegistry meters = p.meters();
        this.app = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            config.startup.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(Json.MAPPER, true));
            config.jetty.modifyServer(server -> {
                server.setErrorHandler(new ProblemErrorHandler());
                // Javalin puts its own handler inside this one, which answers the hottest routes itself
                server.setHandler(new HotRoutes(access, registryRoutes, watchRoutes, streams));
            });
            // the console's scripts and styles: its own, and htmx and uPlot from their WebJars
            config.staticFiles.enableWebjars();
            config.staticFiles.add(files -> {
                files.hostedPath = "/ui/assets";
                files.directory = "/console/assets";
                files.location = Location.CLASSPATH;
            });
            config.routes.get("/v1/health", ctx -> Json.respond(ctx, new Health("ok", registry.revision())));
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(meters.scrape()));
            registryRoutes.register(config.routes);
            watchRoutes.register(config.routes);
            clusterRoutes.register(config.routes);
            hostRoutes.register(config.routes);
            tokenRoutes.register(config.routes);
            scaleOutRoutes.register(config.routes);
            releaseRoutes.register(config.routes);
            autoscaleRoutes.register(config.routes);
            config.routes.get("/v1/namespaces/{ns}/services/{svc}/intake", ctx -> {
                ServiceKey key = Params.service(ctx);
                access.read(ctx, key.namespace());
                var spec = p.cluster()
                        .specs()
                        .get(key)
                        .orElseThrow(() -> new NotFoundException("service spec", key.toString()));
                if (spec.intake().isEmpty()) {
                    throw new NotFoundException("intake", key + " (its spec has no intake block)");
                }
                Json.respond(
                        ctx,
                        p.intakes()
                                .info(key)
                                .orElseThrow(() -> new NotFoundException(
                                        "intake",
                                        key + " (not running: its port may be taken; see the server's log)")));
            });
            clientRoutes.register(config.routes);
            console.register(config.routes);
            migrationRoutes.register(config.routes);
            config.routes.exception(WharfException.class, Problems::wharf);
            config.routes.exception(HttpResponseException.class, Problems::httpResponse);
            config.routes.exception(Exception.class, Problems::unexpected);
            for (int status : new int[] {400, 401, 403, 404, 405, 413, 415, 500}) {
                config.routes.error(status, Problems::fallback);
            }
        });
    }

    /** Starts serving on {@code host:port} (port 0 picks a free one). */
    public static ApiServer start(Parts parts, String host, int port, Duration keepAlive) {
        ApiServer server = new ApiServer(parts, keepAlive);
        server.app.start(host, port);
        return server;
    }

    /** The port it listens on. */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        console.close();
        streams.close();
        app.stop();
        responder.shutdownNow();
    }
}
