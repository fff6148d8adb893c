package io.wharf.server.scalein;

import static java.util.Objects.requireNonNull;

import io.wharf.core.registry.ServiceKey;
import java.time.Instant;
import java.util.List;

/**
 * A scale-in: the containers of one service it takes away, each drained, then stopped.
 *
 * @param reason why the count went down, e.g. {@code autoscaler: cpu 8.0% of 50.0%} or {@code spec replicas}
 * @param drainTimeoutMillis how long a drain may wait for watchers and load balancers
 */
public record ScaleInState(
        String id,
        String namespace,
        String service,
        String reason,
        long drainTimeoutMillis,
        Instant createdAt,
        List<Leaving> containers) {
    public ScaleInState {
        requireNonNull(id, "id");
        containers = List.copyOf(containers);
    }

    public ServiceKey key() {
        return new ServiceKey(namespace, service);
    }

    ScaleInState with(List<Leaving> next) {
        return new ScaleInState(id, namespace, service, reason, drainTimeoutMillis, createdAt, next);
    }

    /** Where one leaving container stands. */
    public enum Step {
        /** Chosen; still registered. */
        PENDING,
        /** Out of the registry and paused; waiting until nobody can send it anything. */
        DRAINING,
        /** Drained and stopped. */
        STOPPED,
        /** Kept after all: the count went up again before it was stopped. */
        KEPT
    }

    /**
     * One container the scale-in takes away.
     *
     * @param drain how its drain ended, e.g. {@code acknowledged by load balancer of local}; empty before
     * @param waitingFor what its drain waits for now
     */
    public record Leaving(
            String container, String endpoint, Step step, Instant since, String drain, String waitingFor) {
        boolean open() {
            return step == Step.PENDING || step == Step.DRAINING;
        }

        Leaving to(Step next, Instant at) {
            return new Leaving(container, endpoint, next, at, drain, "");
        }

        Leaving drained(String how, Instant at) {
            return new Leaving(container, endpoint, Step.STOPPED, at, how, "");
        }

        Leaving waiting(String what) {
            return new Leaving(container, endpoint, step, since, drain, what);
        }
    }
}
