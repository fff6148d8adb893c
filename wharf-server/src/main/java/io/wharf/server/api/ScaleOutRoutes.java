package io.wharf.server.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.wharf.client.wire.ScaleOutRequest;
import io.wharf.core.InvalidInputException;
import io.wharf.core.NotFoundException;
import io.wharf.server.cluster.Cluster;
import io.wharf.server.operation.OperationEngine;
import io.wharf.server.operation.OperationIds;
import io.wharf.server.scaleout.ScaleOutKind;
import io.wharf.server.scaleout.ScaleOutPlan;
import io.wharf.server.scaleout.ScaleOutState;
import java.time.Clock;
import java.util.Map;

/** Scale-out tasks (claims 000.1-000.7): create one for groups, list them, follow one. */
final class ScaleOutRoutes {
    private final OperationEngine engine;
    private final ScaleOutKind kind;
    private final Cluster cluster;
    private final OperationIds ids;
    private final OperationViews views;
    private final Clock clock;
    private final Access access;

    ScaleOutRoutes(
            OperationEngine engine,
            ScaleOutKind kind,
            Cluster cluster,
            OperationIds ids,
            OperationViews views,
            Clock clock,
            Access access) {
        this.engine = engine;
        this.kind = kind;
        this.cluster = cluster;
        this.ids = ids;
        this.views = views;
        this.clock = clock;
        this.access = access;
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/scale-outs", this::create);
        routes.get("/v1/scale-outs", ctx -> {
            access.readAll(ctx);
            Json.respond(
                    ctx,
                    Map.of(
                            "tasks",
                            engine.list(kind).stream()
                                    .map(views::scaleOutSummary)
                                    .toList()));
        });
        routes.get("/v1/scale-outs/{id}", ctx -> {
            access.readAll(ctx);
            String id = ctx.pathParam("id");
            Json.respond(
                    ctx,
                    views.scaleOut(
                            engine.get(kind, id).orElseThrow(() -> new NotFoundException("scale-out task", id))));
        });
    }

    private void create(Context ctx) {
        access.admin(ctx);
        ScaleOutRequest req = Json.read(ctx.bodyAsBytes(), ScaleOutRequest.class, null);
        if (req == null || req.groups().isEmpty()) {
            throw InvalidInputException.of("groups", "missing (expected: {\"groups\":[\"LABEL\",…]})");
        }
        ScaleOutState state =
                ScaleOutPlan.create(req.groups().get(), cluster.specs().all(), ids.next("so"), clock.instant());
        Json.respond(ctx.status(201), views.scaleOut(engine.submit(kind, state.id(), state)));
    }
}
