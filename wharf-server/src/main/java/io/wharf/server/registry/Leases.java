package io.wharf.server.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The table of live leases and the order in which they fall due. Renewing a lease only moves its
 * deadline; the queue is corrected lazily when an entry comes due, so heartbeats stay cheap. Only the
 * reaper takes from the queue; revoking removes a lease's entry at once, so nothing stale piles up.
 */
final class Leases {
    private final Map<String, Lease> byId = new ConcurrentHashMap<>();
    private final ConcurrentSkipListSet<Due> queue = new ConcurrentSkipListSet<>();
    private final AtomicLong sequence = new AtomicLong();
    private final LongSupplier nanoClock;

    /** A lease's place in the queue; {@code seq} keeps equal deadlines apart. */
    record Due(long atNanos, long seq, Lease lease) implements Comparable<Due> {
        @Override
        public int compareTo(Due o) {
            int c = Long.compare(atNanos, o.atNanos);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    Leases(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    Lease grant(String id, Duration ttl, boolean shared, String owner) {
        Lease lease = new Lease(id, ttl, shared, owner, nanoClock.getAsLong());
        byId.put(id, lease);
        enqueue(lease, lease.expiresAtNanos());
        return lease;
    }

    Optional<Lease> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Renews the lease; false if there is no such live lease. */
    boolean renew(Lease lease) {
        return lease.renew(nanoClock.getAsLong());
    }

    /** Ends the lease now, e.g. when its only endpoint is deregistered or its holder revokes it. */
    void revoke(Lease lease) {
        byId.remove(lease.id(), lease);
        lease.end();
        Due due = lease.due();
        if (due != null) {
            queue.remove(due);
        }
    }

    private void enqueue(Lease lease, long atNanos) {
        Due due = new Due(atNanos, sequence.incrementAndGet(), lease);
        lease.due(due);
        queue.add(due);
    }

    int size() {
        return byId.size();
    }

    /** Takes out and ends every lease whose deadline has passed without a renewal. */
    List<Lease> expire() {
        long now = nanoClock.getAsLong();
        List<Lease> expired = new ArrayList<>();
        Due head;
        while ((head = queue.pollFirst()) != null) {
            if (head.atNanos() - now > 0) {
                queue.add(head); // not due yet: put it back and stop
                break;
            }
            Lease lease = head.lease();
            if (lease.ended()) {
                continue;
            }
            if (lease.endIfDue(now)) {
                byId.remove(lease.id(), lease);
                expired.add(lease);
            } else if (!lease.ended()) {
                enqueue(lease, lease.expiresAtNanos()); // renewed since it was queued
            }
        }
        return expired;
    }
}
