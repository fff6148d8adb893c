package io.wharf.intake;

import io.wharf.store.IntakeResultRecord;
import io.wharf.store.IntakeResultStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where intake results go and how the intake holding a client hears of its result: stored once per request id
 * ({@link IntakeResultStore}), and announced in this process to whoever waits on that id. Results are written
 * in batches, one transaction each, by a writer of their own: results that come while one batch is written go
 * together in the next (group commit), so that a burst costs few commits.
 */
public final class Results implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Results.class);
    /** The most results one transaction writes. */
    static final int BATCH = 512;

    private final IntakeResultStore store;
    private final Map<String, CompletableFuture<IntakeResultRecord>> waiting = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean running = true;

    private record Pending(IntakeResultRecord result, CompletableFuture<IntakeResultRecord> stored) {}

    public Results(IntakeResultStore store) {
        this.store = store;
        this.writer = Thread.ofPlatform().daemon().name("wharf-intake-results").start(this::write);
    }

    /**
     * Stores {@code r} unless its id has a result already; completes with the stored one once it is committed
     * (and whoever waits on the id hears it), or fails if it could not be stored.
     */
    public CompletableFuture<IntakeResultRecord> put(IntakeResultRecord r) {
        Pending p = new Pending(r, new CompletableFuture<>());
        queue.add(p);
        return p.stored();
    }

    private void write() {
        List<Pending> batch = new ArrayList<>(BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                Set<String> stored =
                        store.putAllIfAbsent(batch.stream().map(Pending::result).toList());
                for (Pending p : batch) {
                    IntakeResultRecord r = stored.contains(p.result().id())
                            ? p.result()
                            : store.get(p.result().id()).orElse(p.result());
                    CompletableFuture<IntakeResultRecord> w = waiting.remove(r.id());
                    if (w != null) w.complete(r);
                    p.stored().complete(r);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("storing {} intake results failed: {}", batch.size(), e.toString());
                batch.forEach(p -> p.stored().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
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

    /**
     * Tells whoever in this process waits on {@code r}'s request that it is stored — by a dispatcher in
     * another process, which said so in this intake's reply partition.
     */
    public void arrived(IntakeResultRecord r) {
        CompletableFuture<IntakeResultRecord> w = waiting.remove(r.id());
        if (w != null) w.complete(r);
    }

    /** Stops waiting on {@code id}. */
    public void forget(String id) {
        waiting.remove(id);
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        running = false;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
