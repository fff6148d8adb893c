package io.wharf.server.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The table of live leases and the order in which they fall due. Renewing a lease only moves its
 * deadline; the queue is corrected lazily when an entry comes due, so heartbeats stay cheap.
 */
final class Leases {
    private final Map<String, Lease> byId = new ConcurrentHashMap<>();
    private final PriorityQueue<Due> queue = new PriorityQueue<>();
    private final LongSupplier nanoClock;

    private record Due(long atNanos, Lease lease) implements Comparable<Due> {
        @Override
        public int compareTo(Due o) {
            return Long.compare(atNanos, o.atNanos);
        }
    }

    Leases(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    Lease grant(String id, Duration ttl, boolean shared) {
        Lease lease = new Lease(id, ttl, shared, nanoClock.getAsLong());
        byId.put(id, lease);
        synchronized (queue) {
            queue.add(new Due(lease.expiresAtNanos(), lease));
        }
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
    }

    int size() {
        return byId.size();
    }

    /** Takes out and ends every lease whose deadline has passed without a renewal. */
    List<Lease> expire() {
        long now = nanoClock.getAsLong();
        List<Lease> expired = new ArrayList<>();
        synchronized (queue) {
            Due head;
            while ((head = queue.peek()) != null && head.atNanos() - now <= 0) {
                queue.poll();
                Lease lease = head.lease();
                if (lease.ended()) {
                    continue;
                }
                long deadline = lease.expiresAtNanos();
                if (deadline - now > 0) {
                    queue.add(new Due(deadline, lease));
                } else {
                    lease.end();
                    expired.add(lease);
                }
            }
        }
        for (Lease lease : expired) {
            byId.remove(lease.id(), lease);
        }
        return expired;
    }
}
