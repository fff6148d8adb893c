package io.wharf.server.registry;

import io.wharf.core.registry.EndpointId;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A time-to-live that keeps endpoints in the registry while it is renewed. A lease may hold one endpoint
 * (its own, from a registration with a {@code ttl}) or many (one heartbeat renews them all, as an agent
 * does for its host).
 */
public final class Lease {
    private final String id;
    /** In nanoseconds rather than a {@link Duration}: one object less per endpoint. */
    private final long ttlNanos;

    private final boolean shared;
    private final String owner;
    /** A shared lease's endpoints; null for a lease of its own, which keeps {@link #oneSlot}. */
    private final @Nullable Set<Attachment> many;
    /**
     * The endpoint a lease of its own keeps, and its service, under this object's lock: no set, and no object
     * around the two, for the commonest lease.
     */
    private @Nullable ServiceSlot oneSlot;

    private @Nullable EndpointId oneEndpoint;

    private volatile long expiresAtNanos;
    private volatile boolean ended;
    private volatile Leases.@Nullable Due due;

    record Attachment(ServiceSlot slot, EndpointId endpoint) {}

    Lease(String id, Duration ttl, boolean shared, String owner, long nowNanos) {
        this.id = id;
        this.ttlNanos = ttl.toNanos();
        this.shared = shared;
        this.owner = owner;
        this.many = shared ? ConcurrentHashMap.newKeySet() : null;
        this.expiresAtNanos = nowNanos + ttlNanos;
    }

    /** The lease's id. */
    public String id() {
        return id;
    }

    /** How long it lives without a renewal. */
    public Duration ttl() {
        return Duration.ofNanos(ttlNanos);
    }

    long ttlNanos() {
        return ttlNanos;
    }

    /** Whether it was granted on its own, to be shared by several endpoints. */
    public boolean shared() {
        return shared;
    }

    /** Who was granted it, e.g. {@code host:h1} or {@code namespace:team}; empty for an endpoint's own lease. */
    public String owner() {
        return owner;
    }

    /** How many endpoints it keeps. */
    public int size() {
        Set<Attachment> m = many;
        if (m != null) return m.size();
        synchronized (this) {
            return oneSlot == null ? 0 : 1;
        }
    }

    Leases.@Nullable Due due() {
        return due;
    }

    void due(Leases.Due newDue) {
        due = newDue;
    }

    long expiresAtNanos() {
        return expiresAtNanos;
    }

    boolean ended() {
        return ended;
    }

    /**
     * Extends the lease by its ttl from now; false if it had already ended. A renewal and the reaper's
     * {@link #endIfDue} take the lease's lock, so that a renewal that returns true is never undone by a reaper
     * that had read the old deadline.
     */
    synchronized boolean renew(long nowNanos) {
        if (ended) {
            return false;
        }
        expiresAtNanos = nowNanos + ttlNanos;
        return true;
    }

    /** Ends the lease if its deadline has passed at {@code nowNanos}; whether it did. */
    synchronized boolean endIfDue(long nowNanos) {
        if (ended || expiresAtNanos - nowNanos > 0) {
            return false;
        }
        ended = true;
        return true;
    }

    /** Ends the lease; a renewal after this fails. */
    synchronized void end() {
        ended = true;
    }

    /** The endpoints it holds now. */
    Set<Attachment> held() {
        Set<Attachment> m = many;
        if (m != null) return Set.copyOf(m);
        synchronized (this) {
            return oneSlot == null || oneEndpoint == null ? Set.of() : Set.of(new Attachment(oneSlot, oneEndpoint));
        }
    }

    /** Keeps {@code endpoint}; a lease of its own keeps one endpoint, the last attached. */
    void attach(ServiceSlot slot, EndpointId endpoint) {
        Set<Attachment> m = many;
        if (m != null) {
            m.add(new Attachment(slot, endpoint));
            return;
        }
        synchronized (this) {
            oneSlot = slot;
            oneEndpoint = endpoint;
        }
    }

    void detach(ServiceSlot slot, EndpointId endpoint) {
        Set<Attachment> m = many;
        if (m != null) {
            m.remove(new Attachment(slot, endpoint));
            return;
        }
        synchronized (this) {
            if (oneSlot == slot && endpoint.equals(oneEndpoint)) {
                oneSlot = null;
                oneEndpoint = null;
            }
        }
    }
}
