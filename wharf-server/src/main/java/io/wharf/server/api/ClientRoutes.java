package io.wharf.server.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.wharf.client.wire.ClientInfo;
import io.wharf.client.wire.ClientReport;
import io.wharf.core.InvalidInputException;
import io.wharf.core.NotFoundException;
import io.wharf.server.clients.Clients;
import io.wharf.server.migration.Migrations;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * SDK instances: each reports what it uses and is answered with the interfaces a migration wants it to use;
 * people and operations list them.
 */
final class ClientRoutes {
    /** What an SDK instance may call itself: what a watcher id may be, less the {@code sdk@} it adds. */
    private static final Pattern INSTANCE = Pattern.compile("[A-Za-z0-9._:@-]{1,120}");

    private final Clients clients;
    private final Migrations migrations;
    private final Access access;
    private final Clock clock;

    ClientRoutes(Clients clients, Migrations migrations, Access access, Clock clock) {
        this.clients = clients;
        this.migrations = migrations;
        this.access = access;
        this.clock = clock;
    }

    void register(RoutesConfig routes) {
        routes.put("/v1/namespaces/{ns}/clients/{instance}", this::report);
        routes.delete("/v1/namespaces/{ns}/clients/{instance}", this::forget);
        routes.get("/v1/namespaces/{ns}/clients", this::list);
    }

    private void report(Context ctx) {
        String ns = Params.namespace(ctx);
        access.writeNamespace(ctx, ns);
        String instance = instance(ctx);
        ClientReport report = Json.read(
                ctx.bodyAsBytes(), ClientReport.class, new ClientReport(null, null, null, null, null, null, null));
        clients.reported(ns, instance, report);
        // the answer is what a migration wants the instance to use, if one concerns it
        migrations.desired(ns, report).ifPresentOrElse(d -> Json.respond(ctx, d), () -> ctx.status(204));
    }

    private void forget(Context ctx) {
        String ns = Params.namespace(ctx);
        access.writeNamespace(ctx, ns);
        String instance = instance(ctx);
        if (!clients.forget(ns, instance)) {
            throw new NotFoundException("SDK instance", ns + "/" + instance);
        }
        ctx.status(204);
    }

    private void list(Context ctx) {
        String ns = Params.namespace(ctx);
        access.read(ctx, ns);
        var now = clock.instant();
        Json.respond(
                ctx,
                Map.of(
                        "clients",
                        clients.of(ns).stream()
                                .map(s -> new ClientInfo(
                                        s.namespace(),
                                        s.instance(),
                                        s.report(),
                                        Duration.between(s.at(), now).toMillis()))
                                .toList()));
    }

    private static String instance(Context ctx) {
        String instance = ctx.pathParam("instance");
        if (!INSTANCE.matcher(instance).matches()) {
            throw InvalidInputException.of(
                    "instance", "'" + instance + "' (expected: 1-120 letters, digits or . _ : @ -)");
        }
        return instance;
    }
}
