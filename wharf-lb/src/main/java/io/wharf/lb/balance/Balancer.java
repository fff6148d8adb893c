package io.wharf.lb.balance;

import io.wharf.client.sdk.Rule;
import java.util.List;
import java.util.Optional;

/** Picks the backend for the next request. Safe for concurrent use; immutable apart from its cursor. */
public interface Balancer {
    /**
     * The backend for a request with {@code key} (used by consistent hashing; others ignore it), among the
     * backends available at {@code nowNanos}; empty if none is.
     */
    Optional<Backend> pick(long key, long nowNanos);

    /** The backends it balances over. */
    List<Backend> backends();

    /** A balancer by {@code rule} over {@code backends}. */
    static Balancer of(Rule rule, List<Backend> backends) {
        return switch (rule) {
            case ROUND_ROBIN -> new Balancers.RoundRobin(backends);
            case WEIGHTED_ROUND_ROBIN -> new Balancers.SmoothWeighted(backends);
            case LEAST_CONNECTIONS -> new Balancers.LeastConnections(backends);
            case POWER_OF_TWO_CHOICES -> new Balancers.PowerOfTwo(backends);
            case CONSISTENT_HASH -> new ConsistentHash(backends);
        };
    }
}
