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
    private final Duration ttl;
    private final boolean shared;
    private final String owner;
    private final Set<Attachment> attachments = ConcurrentHashMap.newKeySet();
    private volatile long expiresAtNanos;
    private volatile boolean ended;
    private volatile Leases.@Nullable Due due;

    record Attachment(ServiceSlot slot, EndpointId endpoint) {}

    Lease(String id, Duration ttl, boolean shared, String owner, long nowNanos) {
        this.id = id;
        this.ttl = ttl;
        this.shared = shared;
        this.owner = owner;
        this.expiresAtNanos = nowNanos + ttl.toNanos();
    }

    /** The lease's id. */
    public String id() {
        return id;
    }

    /** How long it lives without a renewal. */
    public Duration ttl() {
        return ttl;
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
        return attachments.size();
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

    /** Extends the lease by its ttl from now; false if it had already ended. */
    boolean renew(long nowNanos) {
        if (ended) {
            return false;
        }
        expiresAtNanos = nowNanos + ttl.toNanos();
        return !ended;
    }

    /** Ends the lease; a renewal after this fails. */
    void end() {
        ended = true;
    }

    /** The endpoints it holds now. */
    Set<Attachment> held() {
        return Set.copyOf(attachments);
    }

    void attach(ServiceSlot slot, EndpointId endpoint) {
        attachments.add(new Attachment(slot, endpoint));
    }

    void detach(ServiceSlot slot, EndpointId endpoint) {
        attachments.remove(new Attachment(slot, endpoint));
    }
}
