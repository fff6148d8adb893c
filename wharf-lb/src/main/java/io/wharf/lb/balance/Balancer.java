package io.wharf.lb.balance;

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
}
