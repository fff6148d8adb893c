package io.wharf.server.api;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wharf.client.wire.EndpointState;
import io.wharf.client.wire.RegisterEndpoint;
import io.wharf.client.wire.RegisteredBy;
import io.wharf.core.Durations;
import io.wharf.core.WharfException;
import io.wharf.core.registry.Endpoint;
import io.wharf.core.registry.EndpointId;
import io.wharf.core.registry.ServiceKey;
import io.wharf.server.registry.ChangeEvent;
import io.wharf.server.registry.LeaseRequest;
import io.wharf.server.registry.RegisteredEndpoint;
import io.wharf.server.registry.Registry;
import io.wharf.server.registry.RegistryConfig;
import io.wharf.server.registry.Snapshot;
import io.wharf.server.registry.Watcher;
import io.wharf.server.registry.Watchers;
import io.wharf.store.StoreSync;
import io.wharf.store.jdbc.JdbcStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The registry's hottest routes without an HTTP server around them — an endpoint registered on a lease of its own
 * (PUT), a service's endpoints read as cached bytes (GET), a service's changes as a stream of server-sent events —
 * for {@code bench/http-candidates.sh} to put each candidate HTTP server in front of the same work. It lives in
 * the API's package to read and encode JSON exactly as the API does. The token check is one fixed bearer token
 * (the API's looks tokens up by hash), the same for every candidate.
 */
public final class CandidateCore implements AutoCloseable {
    /** An answer: status, JSON body, and the registry revision it carries (or -1). */
    public record Reply(int status, byte[] body, long revision) {}

    private static final RegisterEndpoint EMPTY = new RegisterEndpoint(null, null, null, null, null, null, null);
    private static final byte[] UNAUTHORIZED =
            "{\"title\":\"Unauthorized\",\"status\":401}".getBytes(StandardCharsets.UTF_8);
    private static final AtomicLong WATCHERS = new AtomicLong();

    private final JdbcStore store;
    private final Registry registry;
    private final byte[] bearer;

    private CandidateCore(JdbcStore store, Registry registry, String token) {
        this.store = store;
        this.registry = registry;
        this.bearer = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    /** A registry over an embedded store in {@code dir} (writes handed to the OS: the store is not what is measured). */
    public static CandidateCore open(Path dir, String token) {
        JdbcStore store = JdbcStore.openEmbedded(dir, StoreSync.OS);
        return new CandidateCore(
                store, Registry.start(store, RegistryConfig.defaults(), new SimpleMeterRegistry()), token);
    }

    public Reply register(String ns, String svc, String ipPort, @Nullable String authorization, byte[] body) {
        if (!authorized(authorization)) return new Reply(401, UNAUTHORIZED, -1);
        try {
            ServiceKey key = new ServiceKey(ns, svc);
            RegisterEndpoint req = Json.read(body, RegisterEndpoint.class, EMPTY);
            LeaseRequest lease = new LeaseRequest.Own(req.ttl()
                    .map(t -> Durations.parse("ttl", t))
                    .orElse(registry.config().defaultTtl()));
            Endpoint endpoint = new Endpoint(
                    EndpointId.parse(ipPort),
                    req.state().orElse(EndpointState.UP),
                    req.weight().orElse(1),
                    req.version().orElse(""),
                    req.metadata().orElse(Map.of()),
                    req.registeredBy().orElse(RegisteredBy.API));
            RegisteredEndpoint registered = registry.register(key, endpoint, lease);
            return new Reply(200, Json.write(Views.endpoint(registered)), registered.revision());
        } catch (WharfException e) {
            return new Reply(400, Json.write(Map.of("detail", e.getMessage())), -1);
        }
    }

    public Reply list(String ns, String svc, @Nullable String authorization) {
        if (!authorized(authorization)) return new Reply(401, UNAUTHORIZED, -1);
        try {
            Snapshot snapshot = registry.snapshot(new ServiceKey(ns, svc));
            return new Reply(200, snapshot.encoded(Views::encode), snapshot.revision());
        } catch (WharfException e) {
            return new Reply(400, Json.write(Map.of("detail", e.getMessage())), -1);
        }
    }

    /** Opens a stream of a service's changes; null if the token is wrong. */
    public @Nullable Events watch(String ns, String svc, @Nullable String authorization) {
        if (!authorized(authorization)) return null;
        ServiceKey key = new ServiceKey(ns, svc);
        Watchers.StreamStart start = registry.watchers().openStream(key, "c-" + WATCHERS.incrementAndGet(), -1, false);
        return new Events(start);
    }

    /** One watcher's events, as the SSE bytes the API writes. */
    public final class Events implements AutoCloseable {
        private final Watchers.StreamStart start;
        private final Semaphore ready = new Semaphore(0);

        private Events(Watchers.StreamStart start) {
            this.start = start;
            start.stream().onReady(ready::release);
        }

        /** The snapshot event, to write first. */
        public byte[] first() {
            var out = new ByteArrayOutputStream();
            start.snapshot().ifPresent(s -> frame(out, s.revision(), "snapshot", s.encoded(Views::encode)));
            for (ChangeEvent e : start.replay())
                frame(out, e.revision(), Views.eventName(e), e.encoded(Views::encodeEvent));
            return out.toByteArray();
        }

        /** The next event, or a keep-alive comment after {@code millis}; throws once the watcher was cut off. */
        public byte[] next(long millis) throws InterruptedException, Watcher.CutOffException {
            ChangeEvent e;
            while ((e = start.stream().next()) == null) {
                if (!ready.tryAcquire(millis, TimeUnit.MILLISECONDS))
                    return ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);
            }
            var out = new ByteArrayOutputStream();
            frame(out, e.revision(), Views.eventName(e), e.encoded(Views::encodeEvent));
            return out.toByteArray();
        }

        /**
         * Writes the stream to {@code out} until the client goes away or the watcher is cut off, flushing each
         * event; the way the thread-per-request candidates serve it.
         */
        public void writeTo(OutputStream out, long keepAliveMillis) {
            try {
                out.write(first());
                out.flush();
                while (true) {
                    out.write(next(keepAliveMillis));
                    out.flush();
                }
            } catch (IOException | InterruptedException | RuntimeException gone) {
                // the client went away, or the watcher was cut off
            }
        }

        @Override
        public void close() {
            registry.watchers().closeStream(start);
        }
    }

    private static void frame(ByteArrayOutputStream out, long id, String event, byte[] data) {
        out.writeBytes(("id: " + id + "\nevent: " + event + "\ndata: ").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(data);
        out.writeBytes("\n\n".getBytes(StandardCharsets.UTF_8));
    }

    private boolean authorized(@Nullable String authorization) {
        return authorization != null && MessageDigest.isEqual(authorization.getBytes(StandardCharsets.UTF_8), bearer);
    }

    @Override
    public void close() {
        registry.close();
        store.close();
    }
}
