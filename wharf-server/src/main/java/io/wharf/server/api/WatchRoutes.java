package io.wharf.server.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.wharf.client.wire.Acknowledge;
import io.wharf.client.wire.WatchersInfo;
import io.wharf.core.Durations;
import io.wharf.core.InvalidInputException;
import io.wharf.core.registry.ServiceKey;
import io.wharf.server.auth.Principal;
import io.wharf.server.registry.Registry;
import io.wharf.server.registry.Snapshot;
import io.wharf.server.registry.Watcher;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Reading a service's endpoints: a plain snapshot, a long-poll ({@code ?index=R&wait=30s}) that answers
 * once the service passes revision R, or a stream of server-sent events; plus watchers and acknowledgements.
 */
final class WatchRoutes {
    static final Duration MAX_WAIT = Duration.ofMinutes(10);
    private static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);

    private final Registry registry;
    private final Executor responder;

    private final Access access;

    WatchRoutes(Registry registry, Access access, Executor responder) {
        this.access = access;
        this.registry = registry;
        this.responder = responder;
    }

    void register(RoutesConfig routes) {
        routes.get("/v1/namespaces/{ns}/services/{svc}/endpoints", this::endpoints);
        routes.get("/v1/namespaces/{ns}/services/{svc}/watchers", this::watchers);
        routes.put("/v1/namespaces/{ns}/services/{svc}/watchers/{id}/ack", this::acknowledge);
    }

    private void endpoints(Context ctx) throws Exception {
        ServiceKey key = Params.service(ctx);
        access.readRegistry(ctx, key.namespace());
        awaitSettled(key);
        String accept = ctx.header("Accept");
        if (accept != null && accept.contains("text/event-stream")) {
            // the streams are HotRoutes', which take every form of this path that names a service
            throw InvalidInputException.of(
                    "Accept",
                    "text/event-stream on " + ctx.path() + " (expected: the stream at /v1/namespaces/" + key.namespace()
                            + "/services/" + key.service() + "/endpoints)");
        }
        Optional<Long> index = Params.revision(ctx, "index");
        if (index.isEmpty()) {
            respond(ctx, registry.snapshot(key));
            return;
        }
        Duration wait = waitParam(ctx);
        var change = registry.changeAfter(key, index.get());
        Optional<Watcher> watcher = Optional.ofNullable(ctx.queryParam("watcher"))
                .map(id -> registry.watchers().longPollStarted(key, id, index.get(), Params.flag(ctx, "acknowledge")));
        ctx.future(() -> change.completeOnTimeout(-1L, wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .thenAcceptAsync(r -> respond(ctx, registry.snapshot(key)), responder)
                .whenComplete((ok, failure) -> watcher.ifPresent(registry.watchers()::longPollEnded)));
    }

    /**
     * A service's endpoints as {@code p} may read them: the route's work for a plain read, which {@link HotRoutes}
     * also does without Javalin.
     */
    Snapshot snapshot(Principal p, ServiceKey key) throws InterruptedException {
        access.readRegistry(p, key.namespace());
        awaitSettled(key);
        return registry.snapshot(key);
    }

    /**
     * Checks that {@code p} may watch {@code key}, and waits, just after a start, for its endpoints to be
     * registered again: what the watch route does before it opens a stream, which {@link HotRoutes} serves.
     */
    void mayWatch(Principal p, ServiceKey key) throws InterruptedException {
        access.readRegistry(p, key.namespace());
        awaitSettled(key);
    }

    /** Just after a start, not before the service's agents have registered its endpoints again. */
    private void awaitSettled(ServiceKey key) throws InterruptedException {
        registry.settling().await(key);
    }

    static Duration waitParam(Context ctx) {
        String text = ctx.queryParam("wait");
        Duration wait = text == null ? DEFAULT_WAIT : Durations.parse("wait", text);
        if (wait.compareTo(MAX_WAIT) > 0) {
            throw InvalidInputException.of("wait", text + " (expected: at most " + Durations.format(MAX_WAIT) + ")");
        }
        return wait;
    }

    /** A snapshot's bytes as the API sends them. */
    static byte[] encoded(Snapshot snapshot) {
        return snapshot.encoded(Views::encode);
    }

    private static void respond(Context ctx, Snapshot snapshot) {
        ctx.header("X-Wharf-Revision", Long.toString(snapshot.revision()));
        Json.respondBytes(ctx, snapshot.encoded(Views::encode));
    }

    private void watchers(Context ctx) {
        ServiceKey key = Params.service(ctx);
        access.readRegistry(ctx, key.namespace());
        long revision =
                Params.revision(ctx, "revision").orElse(registry.snapshot(key).revision());
        Json.respond(
                ctx,
                new WatchersInfo(
                        key.namespace(),
                        key.service(),
                        revision,
                        registry.watchers().of(key).stream().map(Views::watcher).toList(),
                        registry.watchers().pending(key, revision)));
    }

    private void acknowledge(Context ctx) {
        ServiceKey key = Params.service(ctx);
        access.acknowledge(ctx, key, ctx.pathParam("id"));
        var req = Json.read(ctx.bodyAsBytes(), Acknowledge.class, new Acknowledge(null));
        long revision = req.revision().orElse(-1L);
        if (revision < 0) {
            throw InvalidInputException.of(
                    "revision",
                    req.revision().map(String::valueOf).orElse("missing") + " (expected: the revision applied, >= 0)");
        }
        registry.watchers().acknowledge(key, ctx.pathParam("id"), revision);
        ctx.status(204);
    }
}
