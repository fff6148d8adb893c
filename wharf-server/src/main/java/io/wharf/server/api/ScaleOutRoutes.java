package io.wharf.server.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.wharf.core.InvalidInputException;
import io.wharf.server.scale.ScaleOuts;
import io.wharf.store.ScaleTaskRecord;
import io.wharf.store.ScaleTaskRecord.ContainerStatus;
import io.wharf.store.ScaleTaskRecord.ServiceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Scale-out tasks (claims 000.1–000.7): create one for groups, list them, follow one. */
final class ScaleOutRoutes {
    private final ScaleOuts scaleOuts;
    private final AdminAuth auth;

    ScaleOutRoutes(ScaleOuts scaleOuts, AdminAuth auth) {
        this.scaleOuts = scaleOuts;
        this.auth = auth;
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/scale-outs", auth.guard(this::create));
        routes.get(
                "/v1/scale-outs",
                ctx -> Json.respond(
                        ctx,
                        Map.of(
                                "tasks",
                                scaleOuts.tasks().stream()
                                        .map(t -> summary(scaleOuts.describe(t.id())))
                                        .toList())));
        routes.get("/v1/scale-outs/{id}", ctx -> Json.respond(ctx, details(scaleOuts.describe(ctx.pathParam("id")))));
    }

    record CreateRequest(List<String> groups) {}

    private void create(Context ctx) {
        CreateRequest req = Json.read(ctx.bodyAsBytes(), CreateRequest.class, null);
        if (req == null || req.groups() == null) {
            throw InvalidInputException.of("groups", "missing (expected: {\"groups\":[\"LABEL\",…]})");
        }
        ScaleTaskRecord task = scaleOuts.create(req.groups());
        Json.respond(ctx.status(201), details(scaleOuts.describe(task.id())));
    }

    record Counts(int total, int pending, int creating, int done, int skipped) {}

    record ContainerCounts(int total, int pending, int placed, int serving, int failed) {}

    record Summary(
            String id,
            List<String> groups,
            String status,
            String reason,
            Instant createdAt,
            Instant updatedAt,
            long elapsedMillis,
            Counts services,
            ContainerCounts containers) {}

    record ServiceJson(
            String namespace,
            String service,
            String status,
            int nodes,
            String targetVersion,
            String reason,
            Instant createdAt,
            Instant updatedAt) {}

    record ContainerJson(
            String id,
            String namespace,
            String service,
            int ordinal,
            String status,
            String reason,
            Instant createdAt,
            Instant updatedAt,
            long elapsedMillis) {}

    record Details(Summary task, List<ServiceJson> services, List<ContainerJson> containers) {}

    private static Summary summary(ScaleOuts.Details d) {
        ScaleTaskRecord t = d.task();
        return new Summary(
                t.id(),
                t.groups(),
                t.status().name(),
                t.reason(),
                t.createdAt(),
                t.updatedAt(),
                Duration.between(t.createdAt(), t.status().ended() ? t.updatedAt() : Instant.now())
                        .toMillis(),
                new Counts(
                        d.services().size(),
                        count(d.services(), s -> s.status() == ServiceStatus.PENDING),
                        count(d.services(), s -> s.status() == ServiceStatus.CREATING),
                        count(d.services(), s -> s.status() == ServiceStatus.DONE),
                        count(d.services(), s -> s.status() == ServiceStatus.SKIPPED)),
                new ContainerCounts(
                        d.containers().size(),
                        count(d.containers(), c -> c.status() == ContainerStatus.PENDING),
                        count(d.containers(), c -> c.status() == ContainerStatus.PLACED),
                        count(d.containers(), c -> c.status() == ContainerStatus.SERVING),
                        count(d.containers(), c -> c.status() == ContainerStatus.FAILED)));
    }

    private static Details details(ScaleOuts.Details d) {
        return new Details(
                summary(d),
                d.services().stream()
                        .map(s -> new ServiceJson(
                                s.service().namespace(),
                                s.service().service(),
                                s.status().name(),
                                s.nodes(),
                                s.targetVersion(),
                                s.reason(),
                                s.createdAt(),
                                s.updatedAt()))
                        .toList(),
                d.containers().stream()
                        .map(c -> new ContainerJson(
                                c.containerId(),
                                c.service().namespace(),
                                c.service().service(),
                                c.ordinal(),
                                c.status().name(),
                                c.reason(),
                                c.createdAt(),
                                c.updatedAt(),
                                Duration.between(c.createdAt(), c.updatedAt()).toMillis()))
                        .toList());
    }

    private static <T> int count(List<T> rows, Predicate<T> p) {
        return (int) rows.stream().filter(p).count();
    }
}
