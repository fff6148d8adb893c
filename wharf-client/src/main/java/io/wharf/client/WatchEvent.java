package io.wharf.client;

import io.wharf.client.wire.EndpointDeleted;
import io.wharf.client.wire.EndpointPut;
import io.wharf.client.wire.Resync;
import io.wharf.client.wire.ServiceEndpoints;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One event of a service's watch: a snapshot to start from, an endpoint put or deleted, or a resync that ends
 * the stream (start again from a snapshot).
 */
public final class WatchEvent {
    /** What happened. */
    public enum Kind {
        SNAPSHOT,
        PUT,
        DELETE,
        RESYNC
    }

    private final Kind kind;
    private final @Nullable Object payload;

    private WatchEvent(Kind kind, @Nullable Object payload) {
        this.kind = kind;
        this.payload = payload;
    }

    static WatchEvent snapshot(ServiceEndpoints s) {
        return new WatchEvent(Kind.SNAPSHOT, Objects.requireNonNull(s, "s"));
    }

    static WatchEvent put(EndpointPut p) {
        return new WatchEvent(Kind.PUT, Objects.requireNonNull(p, "p"));
    }

    static WatchEvent delete(EndpointDeleted d) {
        return new WatchEvent(Kind.DELETE, Objects.requireNonNull(d, "d"));
    }

    static WatchEvent resync(Resync r) {
        return new WatchEvent(Kind.RESYNC, Objects.requireNonNull(r, "r"));
    }

    /** What happened. */
    public Kind kind() {
        return kind;
    }

    /** The revision the event brings the watcher to; 0 for a resync. */
    public long revision() {
        switch (kind) {
            case SNAPSHOT:
                return ((ServiceEndpoints) payload).revision();
            case PUT:
                return ((EndpointPut) payload).revision();
            case DELETE:
                return ((EndpointDeleted) payload).revision();
            default:
                return 0;
        }
    }

    /** The snapshot, for {@link Kind#SNAPSHOT}. */
    public Optional<ServiceEndpoints> snapshot() {
        return kind == Kind.SNAPSHOT ? Optional.of((ServiceEndpoints) payload) : Optional.empty();
    }

    /** The endpoint put, for {@link Kind#PUT}. */
    public Optional<EndpointPut> put() {
        return kind == Kind.PUT ? Optional.of((EndpointPut) payload) : Optional.empty();
    }

    /** The endpoint deleted, for {@link Kind#DELETE}. */
    public Optional<EndpointDeleted> delete() {
        return kind == Kind.DELETE ? Optional.of((EndpointDeleted) payload) : Optional.empty();
    }

    /** Why the watcher must start again, for {@link Kind#RESYNC}. */
    public Optional<Resync> resync() {
        return kind == Kind.RESYNC ? Optional.of((Resync) payload) : Optional.empty();
    }

    @Override
    public String toString() {
        return kind + " " + payload;
    }
}
