package io.wharf.intake;

import io.wharf.store.IntakeResultRecord;
import io.wharf.store.IntakeResultStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where intake results go and how the intake holding a client hears of its result: stored once per request id
 * ({@link IntakeResultStore}), and announced in this process to whoever waits on that id.
 */
public final class Results {
    private final IntakeResultStore store;
    private final Map<String, CompletableFuture<IntakeResultRecord>> waiting = new ConcurrentHashMap<>();

    public Results(IntakeResultStore store) {
        this.store = store;
    }

    /** Stores {@code r} unless its id has a result already; either way, whoever waits on it hears the stored one. */
    public IntakeResultRecord put(IntakeResultRecord r) {
        IntakeResultRecord stored = store.putIfAbsent(r) ? r : store.get(r.id()).orElse(r);
        CompletableFuture<IntakeResultRecord> f = waiting.remove(r.id());
        if (f != null) f.complete(stored);
        return stored;
    }

    /** The stored result of request {@code id}, if there is one. */
    public Optional<IntakeResultRecord> get(String id) {
        return store.get(id);
    }

    /**
     * Completes with the result of request {@code id} once it is stored (at once if it is). The caller removes
     * its wait with {@link #forget} when it gives up.
     */
    public CompletableFuture<IntakeResultRecord> await(String id) {
        CompletableFuture<IntakeResultRecord> f = waiting.computeIfAbsent(id, k -> new CompletableFuture<>());
        store.get(id).ifPresent(r -> {
            waiting.remove(id);
            f.complete(r);
        });
        return f;
    }

    /**
     * Completes with the result of a request just taken — none can be stored yet, so the store is not asked —
     * once it is stored. The caller removes its wait with {@link #forget} when it gives up.
     */
    public CompletableFuture<IntakeResultRecord> expect(String id) {
        return waiting.computeIfAbsent(id, k -> new CompletableFuture<>());
    }

    /** Stops waiting on {@code id}. */
    public void forget(String id) {
        waiting.remove(id);
    }
}
