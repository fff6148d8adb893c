package io.wharf.server.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.wharf.client.wire.ReleaseInfo;
import io.wharf.client.wire.ReleaseRequest;
import io.wharf.core.InvalidInputException;
import io.wharf.core.NotFoundException;
import io.wharf.server.cluster.Cluster;
import io.wharf.server.operation.OperationEngine;
import io.wharf.server.operation.OperationIds;
import io.wharf.server.release.ReleaseKind;
import io.wharf.server.release.ReleasePlan;
import io.wharf.server.release.ReleaseState;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Releases (claims 001.1-001.10): start one, list them, follow one. */
final class ReleaseRoutes {
    private final OperationEngine engine;
    private final ReleaseKind kind;
    private final Cluster cluster;
    private final OperationIds ids;
    private final Access access;

    ReleaseRoutes(OperationEngine engine, ReleaseKind kind, Cluster cluster, OperationIds ids, Access access) {
        this.engine = engine;
        this.kind = kind;
        this.cluster = cluster;
        this.ids = ids;
        this.access = access;
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/releases", this::create);
        routes.get("/v1/releases", ctx -> {
            access.readSome(ctx);
            Json.respond(
                    ctx,
                    Map.of(
                            "releases",
                            engine.list(kind).stream()
                                    .filter(op -> access.mayRead(ctx, op.state().namespace()))
                                    .map(OperationViews::release)
                                    .toList()));
        });
        routes.get("/v1/releases/{id}", ctx -> {
            String id = ctx.pathParam("id");
            access.readSome(ctx);
            var op = engine.get(kind, id)
                    .filter(o -> access.mayRead(ctx, o.state().namespace()))
                    .orElseThrow(() -> new NotFoundException("release", id));
            Json.respond(ctx, OperationViews.release(op));
        });
    }

    private void create(Context ctx) {
        access.admin(ctx);
        ReleaseRequest req = Json.read(ctx.bodyAsBytes(), ReleaseRequest.class, null);
        Json.respond(ctx.status(201), start(req));
    }

    /** Checks a release request and starts the release; the API's and the console's way alike. */
    ReleaseInfo start(@Nullable ReleaseRequest req) {
        if (req == null) {
            throw InvalidInputException.of("body", "missing (expected: {\"service\":…,\"version\":…})");
        }
        var key = ReleasePlan.service(req);
        cluster.specs().get(key).orElseThrow(() -> new NotFoundException("service spec", key.toString()));
        ReleaseState state = ReleasePlan.create(req, cluster.view(Set.of(key)), ids.next("rel"));
        return OperationViews.release(engine.submit(kind, state.id(), state));
    }
}
