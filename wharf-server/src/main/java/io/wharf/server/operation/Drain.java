package io.wharf.server.operation;

import io.wharf.server.cluster.ClusterView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared step that drains an endpoint that left the registry (claim 001.4), ending as soon as nobody can
 * still send it anything: every awaited watcher of its service has acknowledged the revision that removed it,
 * and every load balancer in contact has applied that revision and has nothing in flight to it. Bounded by a
 * timeout, so a watcher that never answers delays a drain but never stops it.
 */
public final class Drain {
    private Drain() {}

    /** Where a drain stands. */
    public sealed interface Result {
        /**
         * It ended: {@code how} is {@code acknowledged by …} (naming whom it waited for, or {@code by nobody
         * watching}) or {@code timeout (still waiting for …)}.
         */
        record Drained(String how, long millis) implements Result {}

        /** It waits for {@code pending}. */
        record Waiting(List<String> pending) implements Result {}
    }

    /** Whether {@code endpoint} of {@code service}, draining since {@code since}, is drained. */
    public static Result check(
            ClusterView.ServiceView service, String endpoint, Instant since, Duration timeout, Instant now) {
        long millis = Math.max(0, Duration.between(since, now).toMillis());
        List<String> pending = pending(service, endpoint);
        if (pending.isEmpty()) {
            List<String> awaited = awaited(service);
            return new Result.Drained(
                    "acknowledged by " + (awaited.isEmpty() ? "nobody watching" : String.join(", ", awaited)), millis);
        }
        if (millis >= timeout.toMillis()) {
            return new Result.Drained("timeout (still waiting for " + String.join(", ", pending) + ")", millis);
        }
        return new Result.Waiting(pending);
    }

    /**
     * Whom a drain of the service waits for: the watchers that declared they acknowledge, and the load
     * balancers of hosts in contact. Watchers that did not declare it are never waited for.
     */
    static List<String> awaited(ClusterView.ServiceView service) {
        List<String> awaited = new ArrayList<>();
        for (ClusterView.WatcherView w : service.watchers()) {
            if (w.awaited()) awaited.add("watcher " + w.id());
        }
        for (ClusterView.LbView lb : service.loadBalancers()) {
            if (lb.hostReady()) awaited.add("load balancer of " + lb.host());
        }
        return awaited;
    }

    /** Who has not yet let go of {@code endpoint}. */
    static List<String> pending(ClusterView.ServiceView service, String endpoint) {
        List<String> pending = new ArrayList<>();
        if (service.isRegistered(endpoint)) {
            pending.add("its removal from the registry");
            return pending;
        }
        long removedAt = service.removedAt(endpoint);
        for (ClusterView.WatcherView w : service.watchers()) {
            if (w.awaited() && w.acknowledged() < removedAt) {
                pending.add("watcher " + w.id() + " (at revision " + w.acknowledged() + ")");
            }
        }
        for (ClusterView.LbView lb : service.loadBalancers()) {
            if (!lb.hostReady()) continue; // its agent, and the load balancer in it, is gone
            if (lb.revision() < removedAt) {
                pending.add("load balancer of " + lb.host() + " (at revision " + lb.revision() + ")");
            } else if (lb.inFlight().getOrDefault(endpoint, 0) > 0) {
                pending.add(
                        "load balancer of " + lb.host() + " (" + lb.inFlight().get(endpoint) + " in flight)");
            }
        }
        return pending;
    }
}
