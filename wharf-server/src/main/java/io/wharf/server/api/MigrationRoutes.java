package io.wharf.server.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.wharf.client.wire.MigrationInfo;
import io.wharf.client.wire.MigrationRequest;
import io.wharf.client.wire.MigrationStepInfo;
import io.wharf.core.InvalidInputException;
import io.wharf.core.NotFoundException;
import io.wharf.core.spec.ImageRef;
import io.wharf.server.clients.Clients;
import io.wharf.server.cluster.Cluster;
import io.wharf.server.migration.MigrationKind;
import io.wharf.server.migration.MigrationPlan;
import io.wharf.server.migration.MigrationState;
import io.wharf.server.migration.Migrations;
import io.wharf.server.operation.Operation;
import io.wharf.server.operation.OperationEngine;
import io.wharf.server.operation.OperationIds;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Map;

/** Interface migrations (claims 003.2–003.7): start one, list them, follow one; and the packages they install. */
final class MigrationRoutes {
    private final OperationEngine engine;
    private final MigrationKind kind;
    private final Migrations migrations;
    private final Clients clients;
    private final Cluster cluster;
    private final OperationIds ids;
    private final Access access;
    private final Clock clock;

    MigrationRoutes(
            OperationEngine engine,
            MigrationKind kind,
            Migrations migrations,
            Clients clients,
            Cluster cluster,
            OperationIds ids,
            Access access,
            Clock clock) {
        this.engine = engine;
        this.kind = kind;
        this.migrations = migrations;
        this.clients = clients;
        this.cluster = cluster;
        this.ids = ids;
        this.access = access;
        this.clock = clock;
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/migrations", this::create);
        routes.get("/v1/migrations", ctx -> {
            access.readSome(ctx);
            Json.respond(
                    ctx,
                    Map.of(
                            "migrations",
                            engine.list(kind).stream()
                                    .filter(op -> access.mayRead(ctx, op.state().namespace()))
                                    .map(MigrationRoutes::info)
                                    .toList()));
        });
        routes.get("/v1/migrations/{id}", ctx -> {
            String id = ctx.pathParam("id");
            access.readSome(ctx);
            var op = engine.get(kind, id)
                    .filter(o -> access.mayRead(ctx, o.state().namespace()))
                    .orElseThrow(() -> new NotFoundException("migration", id));
            Json.respond(ctx, info(op));
        });
        routes.get("/v1/namespaces/{ns}/interface-packages/{sha256}", this::downloadPackage);
    }

    private void create(Context ctx) {
        access.admin(ctx);
        MigrationRequest req = Json.read(ctx.bodyAsBytes(), MigrationRequest.class, null);
        if (req == null) {
            throw InvalidInputException.of(
                    "body", "missing (expected: {\"from\":\"zookeeper://…\",\"to\":\"native\",\"packageImage\":…})");
        }
        String namespace = MigrationPlan.namespace(req);
        MigrationState state = MigrationPlan.create(
                req, clients.of(namespace), ref -> cluster.images().find(ref), ids.next("mig"), clock.instant());
        Operation<MigrationState> op = engine.submit(kind, state.id(), state);
        migrations.submitted(op);
        Json.respond(ctx.status(201), info(op));
    }

    /**
     * The package a migration of the namespace asks its SDK instances to install: readable with any token that
     * reads the namespace, and only while a migration there names it.
     */
    private void downloadPackage(Context ctx) throws Exception {
        String ns = Params.namespace(ctx);
        access.read(ctx, ns);
        String sha256 = ctx.pathParam("sha256");
        String image = migrations
                .packageImage(ns, sha256)
                .orElseThrow(() -> new NotFoundException("interface package of a migration in " + ns, sha256));
        var path = cluster.images().packagePath(ImageRef.parse("package", image));
        ctx.contentType("application/java-archive");
        ctx.header("X-Wharf-Sha256", sha256);
        ctx.res().setContentLengthLong(Files.size(path));
        Files.copy(path, ctx.res().getOutputStream());
    }

    static MigrationInfo info(Operation<MigrationState> op) {
        MigrationState m = op.state();
        return new MigrationInfo(
                op.id(),
                m.namespace(),
                m.services(),
                m.from().name(),
                m.from().address(),
                m.to().name(),
                m.to().address(),
                m.to().packageImage(),
                m.to().packageDigest(),
                m.verifyMillis(),
                m.watchMillis(),
                m.maxAddressDiff(),
                m.maxErrorRate(),
                m.stepTimeoutMillis(),
                op.status(),
                m.phase().label(),
                op.reason(),
                op.lastError(),
                op.createdAt(),
                op.updatedAt(),
                m.steps().stream()
                        .map(e -> new MigrationStepInfo(e.step(), e.startedAt(), e.note()))
                        .toList());
    }
}
