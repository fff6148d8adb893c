package io.wharf.server.api;

import io.javalin.config.RoutesConfig;
import io.wharf.client.wire.AutoscaleDecisionInfo;
import io.wharf.client.wire.AutoscaleReading;
import io.wharf.client.wire.AutoscalerInfo;
import io.wharf.client.wire.ScaleInContainer;
import io.wharf.client.wire.ScaleInInfo;
import io.wharf.core.NotFoundException;
import io.wharf.core.registry.ServiceKey;
import io.wharf.server.autoscale.Autoscaler;
import io.wharf.server.autoscale.Reading;
import io.wharf.server.cluster.Cluster;
import io.wharf.server.operation.Operation;
import io.wharf.server.operation.OperationEngine;
import io.wharf.server.scalein.ScaleInKind;
import io.wharf.server.scalein.ScaleInState;
import java.util.List;
import java.util.Map;

/** Autoscalers (claims 002.7, 004.7) and the scale-ins that drain containers away, as the API shows them. */
final class AutoscaleRoutes {
    private final Autoscaler autoscaler;
    private final OperationEngine engine;
    private final ScaleInKind scaleIns;
    private final Cluster cluster;
    private final Access access;

    AutoscaleRoutes(
            Autoscaler autoscaler, OperationEngine engine, ScaleInKind scaleIns, Cluster cluster, Access access) {
        this.autoscaler = autoscaler;
        this.engine = engine;
        this.scaleIns = scaleIns;
        this.cluster = cluster;
        this.access = access;
    }

    void register(RoutesConfig routes) {
        routes.get("/v1/autoscalers", ctx -> {
            access.readSome(ctx);
            Json.respond(
                    ctx,
                    Map.of(
                            "autoscalers",
                            autoscaler.all().stream()
                                    .filter(s -> access.mayRead(ctx, s.key().namespace()))
                                    .map(s -> info(s, List.of()))
                                    .toList()));
        });
        routes.get("/v1/namespaces/{ns}/services/{svc}/autoscaler", ctx -> {
            ServiceKey key = Params.service(ctx);
            access.read(ctx, key.namespace());
            var spec =
                    cluster.specs().get(key).orElseThrow(() -> new NotFoundException("service spec", key.toString()));
            if (spec.autoscale().isEmpty()) {
                throw new NotFoundException("autoscaler", key + " (its spec has no autoscale block)");
            }
            List<AutoscaleDecisionInfo> decisions = autoscaler.decisions(key, Autoscaler.KEEP).stream()
                    .map(d -> new AutoscaleDecisionInfo(d.at(), d.from(), d.to(), d.reason(), d.readings()))
                    .toList();
            Json.respond(
                    ctx,
                    autoscaler
                            .status(key)
                            .map(s -> info(s, decisions))
                            .orElseGet(() -> new AutoscalerInfo(
                                    key.namespace(),
                                    key.service(),
                                    spec.autoscale().get().min(),
                                    spec.autoscale().get().max(),
                                    cluster.specs().replicas(key),
                                    0,
                                    cluster.specs().replicas(key),
                                    List.of(),
                                    "not evaluated yet",
                                    null,
                                    null,
                                    decisions.isEmpty()
                                            ? null
                                            : decisions.get(0).at(),
                                    decisions)));
        });
        routes.get("/v1/scale-ins", ctx -> {
            access.readSome(ctx);
            Json.respond(
                    ctx,
                    Map.of(
                            "scaleIns",
                            engine.list(scaleIns).stream()
                                    .filter(op -> access.mayRead(ctx, op.state().namespace()))
                                    .map(AutoscaleRoutes::scaleIn)
                                    .toList()));
        });
        routes.get("/v1/scale-ins/{id}", ctx -> {
            String id = ctx.pathParam("id");
            access.readSome(ctx);
            var op = engine.get(scaleIns, id)
                    .filter(o -> access.mayRead(ctx, o.state().namespace()))
                    .orElseThrow(() -> new NotFoundException("scale-in", id));
            Json.respond(ctx, scaleIn(op));
        });
    }

    private static AutoscalerInfo info(Autoscaler.Status s, List<AutoscaleDecisionInfo> decisions) {
        return new AutoscalerInfo(
                s.key().namespace(),
                s.key().service(),
                s.spec().min(),
                s.spec().max(),
                s.current(),
                s.ready(),
                s.desired(),
                s.readings().stream().map(AutoscaleRoutes::reading).toList(),
                s.state(),
                s.holding().orElse(null),
                s.evaluatedAt(),
                s.lastChange().orElse(null),
                decisions);
    }

    private static AutoscaleReading reading(Reading r) {
        return new AutoscaleReading(
                r.metric().field(), r.value(), r.target(), r.metric().unit(), r.complete());
    }

    static ScaleInInfo scaleIn(Operation<ScaleInState> op) {
        ScaleInState s = op.state();
        return new ScaleInInfo(
                op.id(),
                s.namespace(),
                s.service(),
                op.status(),
                s.reason(),
                op.reason().isEmpty() ? op.lastError() : op.reason(),
                op.createdAt(),
                op.updatedAt(),
                s.containers().stream()
                        .map(c -> new ScaleInContainer(
                                c.container(), c.endpoint(), c.step().name(), c.drain(), c.waitingFor()))
                        .toList());
    }
}
