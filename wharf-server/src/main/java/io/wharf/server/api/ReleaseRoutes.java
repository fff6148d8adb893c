package io.wharf.server.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.wharf.core.Durations;
import io.wharf.core.InvalidInputException;
import io.wharf.core.registry.Names;
import io.wharf.core.registry.ServiceKey;
import io.wharf.server.release.Releases;
import java.time.Duration;
import java.util.Map;

/** Releases (claims 001.1–001.10): start one, list them, follow one. */
final class ReleaseRoutes {
    private final Releases releases;
    private final AdminAuth auth;

    ReleaseRoutes(Releases releases, AdminAuth auth) {
        this.releases = releases;
        this.auth = auth;
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/releases", auth.guard(this::create));
        routes.get("/v1/releases", ctx -> Json.respond(ctx, Map.of("releases", releases.list())));
        routes.get("/v1/releases/{id}", ctx -> Json.respond(ctx, releases.get(ctx.pathParam("id"))));
    }

    record CreateRequest(
            String namespace,
            String service,
            String version,
            Integer parallelism,
            String drainTimeout,
            Integer healthChecks,
            String mode,
            Boolean rollback,
            String watch,
            Double maxErrorRate,
            Double maxLatencyRatio) {}

    private void create(Context ctx) {
        CreateRequest req = Json.read(ctx.bodyAsBytes(), CreateRequest.class, null);
        if (req == null || req.service() == null || req.version() == null) {
            throw InvalidInputException.of(
                    req == null || req.service() == null ? "service" : "version",
                    "missing (expected: {\"service\":…,\"version\":…})");
        }
        Duration drain = req.drainTimeout() == null
                ? Duration.ofSeconds(20)
                : Durations.parse("drainTimeout", req.drainTimeout());
        var release = releases.create(new Releases.Request(
                new ServiceKey(req.namespace() == null ? Names.DEFAULT_NAMESPACE : req.namespace(), req.service()),
                req.version(),
                req.parallelism() == null ? 1 : req.parallelism(),
                drain,
                req.healthChecks() == null ? 6 : req.healthChecks(),
                req.mode() == null ? "in-place" : req.mode(),
                req.rollback() == null || req.rollback(),
                req.watch() == null ? Duration.ofSeconds(10) : Durations.parse("watch", req.watch()),
                req.maxErrorRate() == null ? 0.01 : req.maxErrorRate(),
                req.maxLatencyRatio() == null ? 2.0 : req.maxLatencyRatio()));
        Json.respond(ctx.status(201), release);
    }
}
