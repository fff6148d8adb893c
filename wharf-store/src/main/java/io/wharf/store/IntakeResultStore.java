package io.wharf.store;

import java.util.Optional;

/** The results of requests that went through fair intakes (claim 002.6), one per request id. */
public interface IntakeResultStore {
    /** Stores {@code result} unless one with its id is stored already; true if it was stored now. */
    boolean putIfAbsent(IntakeResultRecord result);

    /**
     * Stores each of {@code results} whose id has none stored yet, in one transaction; returns the ids stored
     * now.
     */
    java.util.Set<String> putAllIfAbsent(java.util.List<IntakeResultRecord> results);

    Optional<IntakeResultRecord> get(String id);
}
