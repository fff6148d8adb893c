package io.wharf.server.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.wharf.client.wire.Heartbeat;
import io.wharf.client.wire.HostJoin;
import io.wharf.client.wire.HostJoined;
import io.wharf.core.ConflictException;
import io.wharf.core.ForbiddenException;
import io.wharf.core.InvalidInputException;
import io.wharf.server.auth.Principal;
import io.wharf.server.auth.Tokens;
import io.wharf.server.cluster.Cluster;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Hosts (claim 004.1): joining, heartbeats and assignments, as the host's own agent; listing and removal, as
 * the admin. A new host joins with a join token and is given a token of its own, which it needs to act as
 * that host, and to join again under its name.
 */
final class HostRoutes {
    private final Cluster cluster;
    private final ClusterViews views;
    private final Access access;
    private final Tokens tokens;
    private final Executor responder;

    HostRoutes(Cluster cluster, ClusterViews views, Access access, Tokens tokens, Executor responder) {
        this.cluster = cluster;
        this.views = views;
        this.access = access;
        this.tokens = tokens;
        this.responder = responder;
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/hosts/join", this::join);
        routes.put("/v1/hosts/{id}/heartbeat", this::heartbeat);
        routes.get("/v1/hosts/{id}/assignments", this::assignments);
        routes.get("/v1/hosts", ctx -> {
            access.readAll(ctx);
            Json.respond(
                    ctx,
                    Map.of(
                            "hosts",
                            cluster.hosts().all().stream().map(views::host).toList()));
        });
        routes.delete("/v1/hosts/{id}", ctx -> {
            access.admin(ctx);
            cluster.removeHost(ctx.pathParam("id"));
            tokens.revokeHost(ctx.pathParam("id"));
            ctx.status(204);
        });
    }

    private void join(Context ctx) {
        Principal p = access.who(ctx);
        var join = Json.read(ctx.bodyAsBytes(), HostJoin.class, null);
        if (join == null || join.name().isEmpty() || join.ipPool().isEmpty()) {
            throw InvalidInputException.of("body", "expected: {name, address, ipPool, cpuMillis, memoryMb}");
        }
        String name = join.name();
        switch (p) {
            case Principal.Admin a -> {}
            case Principal.Host h -> {
                if (!h.hostId().equals(name)) {
                    throw new ForbiddenException(p.describe() + " may only join again as " + h.hostId());
                }
            }
            case Principal.Joiner j -> {
                if (cluster.hosts().get(name).isPresent() && tokens.hasHostToken(name)) {
                    throw new ConflictException("host " + name + " has joined before: join again with its own"
                            + " token (its agent keeps it in DATA/host.token), or remove it first (wharf delete host "
                            + name + ")");
                }
            }
            default -> throw new ForbiddenException(p.describe() + " may not join a host (a join token may)");
        }
        var state = cluster.join(join);
        // a host acting as itself keeps its token; the admin or a join token gives it a new one
        Optional<String> issued = p instanceof Principal.Host
                ? Optional.empty()
                : Optional.of(tokens.issueHostToken(name).token());
        Json.respond(ctx, new HostJoined(views.host(state), issued.orElse(null)));
    }

    private void heartbeat(Context ctx) {
        String host = ctx.pathParam("id");
        access.host(ctx, host);
        var beat = Json.read(heartbeatBody(ctx), Heartbeat.class, null);
        if (beat == null) {
            throw InvalidInputException.of("body", "expected: {usage, containers}");
        }
        Json.respond(ctx, views.host(cluster.heartbeat(host, beat)));
    }

    /**
     * The largest heartbeat accepted: a host reports every container it runs, a few hundred bytes each, so a
     * heartbeat has a limit of its own, far above the API's {@link ApiServer#MAX_BODY_BYTES} (about 20,000
     * containers).
     */
    static final int MAX_HEARTBEAT_BYTES = 8 << 20;

    private static byte[] heartbeatBody(Context ctx) {
        try (var in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes(MAX_HEARTBEAT_BYTES + 1);
            if (body.length > MAX_HEARTBEAT_BYTES) {
                throw InvalidInputException.of(
                        "body", "larger than " + MAX_HEARTBEAT_BYTES + " bytes (a heartbeat's limit)");
            }
            return body;
        } catch (java.io.IOException e) {
            throw InvalidInputException.of("body", "could not be read (" + e.getMessage() + ")");
        }
    }

    private void assignments(Context ctx) {
        String host = ctx.pathParam("id");
        access.host(ctx, host);
        Optional<Long> index = Params.revision(ctx, "index");
        if (index.isEmpty()) {
            Json.respond(ctx, views.assignments(cluster.assignments(host)));
            return;
        }
        Duration wait = WatchRoutes.waitParam(ctx);
        var change = cluster.assignmentsAfter(host, index.get());
        ctx.future(() -> change.completeOnTimeout(-1L, wait.toMillis(), TimeUnit.MILLISECONDS)
                .thenAcceptAsync(r -> Json.respond(ctx, views.assignments(cluster.assignments(host))), responder));
    }
}
