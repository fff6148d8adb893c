package io.wharf.intake;

import io.wharf.intake.log.IntakeLog;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reader of claim 002.5: takes a service's ordered stream and hands each request to a {@link Handler}
 * (which calls an instance of the service and stores the result) — requests with the same order key strictly
 * one after another, in the order of the stream; requests with different keys (or none) side by side, up to
 * {@code maxInFlight} keys at once. Its position is committed in the log as the oldest request not yet done:
 * a dispatcher started after another died hands over again what was in flight, and the handler, keyed by
 * request id, applies none twice.
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    static final String POSITION = "ordered";
    static final Duration RETRY = Duration.ofMillis(500);

    /**
     * Processes one ordered request; completes once its result — the service's answer, or its failure — is
     * stored, or it is known to be stored already. Completing exceptionally means it was not processed (no
     * endpoint took it, or its result could not be stored): it is handed over again after {@link #RETRY}, its
     * key waiting.
     */
    @FunctionalInterface
    public interface Handler {
        /**
         * @param again whether it may have been handed over before (it was in the ordered stream when this
         *     dispatcher started): its result may be stored already
         */
        CompletableFuture<Void> handle(IntakeRecord.Ordered request, boolean again);
    }

    private final IntakeLog logs;
    private final String service;
    private final Handler handler;
    private final Semaphore keys;
    private final Semaphore queued;
    private final Thread thread;
    private final ExecutorService continuations = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean running = true;
    private final AtomicLong done = new AtomicLong();
    /** Per key with work: what waits behind the request in flight. */
    private final Map<String, ArrayDeque<Item>> lanes = new HashMap<>();
    /** Offsets read and not yet done. */
    private final TreeSet<Long> open = new TreeSet<>();

    private long next;
    /** The position last given to the committer; the dispatcher's thread's. */
    private long committed = -1;
    /** When the ordered stream is trimmed next; the dispatcher's thread's. */
    private long nextTrim = System.nanoTime();
    /** Writes the position, so that dispatching does not wait for its sync. */
    private final Committer committer;
    /** The ordered stream's end when this dispatcher started: what is before it may have been handed over. */
    private long startedAt;

    private record Item(long offset, String key, IntakeRecord.Ordered request) {}

    private Dispatcher(IntakeLog logs, String service, int maxInFlight, int maxQueued, Handler handler) {
        this.logs = logs;
        this.service = service;
        this.handler = handler;
        this.keys = new Semaphore(maxInFlight);
        this.queued = new Semaphore(maxQueued);
        this.thread = Thread.ofPlatform().name("wharf-dispatcher-" + service).unstarted(this::run);
        this.committer = new Committer("wharf-dispatcher-checkpoints-" + service);
    }

    /**
     * Starts dispatching {@code service}'s ordered stream from its last committed position.
     *
     * @param maxInFlight how many keys are processed at once
     * @param maxQueued how many requests are read ahead, waiting behind their key's
     */
    public static Dispatcher start(IntakeLog logs, String service, int maxInFlight, int maxQueued, Handler handler)
            throws IOException {
        Dispatcher d = new Dispatcher(logs, service, maxInFlight, maxQueued, handler);
        d.next = logs.committed(d.checkpointName()).getOrDefault(POSITION, 0L);
        d.startedAt = logs.end(Sequencer.orderedPartition(service));
        d.thread.start();
        return d;
    }

    private String checkpointName() {
        return "dispatcher." + service;
    }

    /** Requests read and not yet handled. */
    public synchronized int waiting() {
        return open.size();
    }

    /** Requests handled since it started. */
    public long done() {
        return done.get();
    }

    private void run() {
        String ordered = Sequencer.orderedPartition(service);
        long nextCommit = System.nanoTime();
        committed = -1;
        try {
            while (running) {
                List<IntakeLog.Record> records;
                try {
                    records = logs.read(ordered, next, 1024, Duration.ofMillis(20));
                } catch (RuntimeException e) {
                    // the log is away: what was read is dispatched on; reading goes on from where it was
                    log.warn(
                            "dispatcher of {}: reading failed, again in {} ms: {}",
                            service,
                            RETRY.toMillis(),
                            e.toString());
                    Thread.sleep(RETRY);
                    continue;
                }
                for (var r : records) {
                    if (!(IntakeRecord.decode(r.bytes()) instanceof IntakeRecord.Ordered o)) continue;
                    String key = o.request().orderKey().isEmpty()
                            ? "\u0000" + o.request().id() // no key: a lane of its own
                            : o.request().orderKey();
                    while (!queued.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        if (!running) return;
                    }
                    Item item = new Item(r.offset(), key, o);
                    boolean start;
                    synchronized (this) {
                        open.add(r.offset());
                        ArrayDeque<Item> lane = lanes.get(key);
                        start = lane == null;
                        if (start) lanes.put(key, new ArrayDeque<>());
                        else lane.add(item);
                    }
                    if (start) {
                        while (!keys.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                            if (!running) return;
                        }
                        dispatch(item);
                    }
                    next = r.offset() + 1;
                }
                if (System.nanoTime() - nextCommit >= 0 && idle()) {
                    long at;
                    synchronized (this) {
                        at = open.isEmpty() ? next : open.first();
                    }
                    boolean moved = at != committed;
                    boolean trim = logs.trims() && System.nanoTime() - nextTrim >= 0;
                    if (moved || trim) {
                        if (trim) nextTrim = System.nanoTime() + Sequencer.TRIM_EVERY.toNanos();
                        // on the committer's thread: dispatching does not wait for the sync
                        committer.commit(() -> {
                            if (moved) logs.commit(checkpointName(), Map.of(POSITION, at));
                            // below a position committed: by this task, or by one before it
                            if (trim) trim(ordered, at);
                        });
                        committed = at;
                    }
                    nextCommit = System.nanoTime() + Sequencer.COMMIT_EVERY.toNanos();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("dispatcher of {} stopped", service, e);
        }
    }

    /** Whether the last position given to the committer is written; one that failed is given again. */
    private boolean idle() throws InterruptedException {
        try {
            return committer.idle();
        } catch (IOException | RuntimeException e) {
            log.warn("dispatcher of {}: position not kept, again later: {}", service, e.toString());
            committed = -1;
            return true;
        }
    }

    /**
     * Gives the ordered stream below {@code position} back to the log, but not what a sequencer starting again
     * reads: it looks at what its last checkpoint's ordered end left after it.
     */
    private void trim(String ordered, long position) {
        try {
            long sequencerFrom =
                    logs.committed(Sequencer.checkpointName(service)).getOrDefault(Sequencer.ORDERED_END, 0L);
            logs.trim(ordered, Math.min(position, sequencerFrom));
        } catch (IOException | RuntimeException e) {
            log.warn("dispatcher of {}: the ordered stream not trimmed, again later: {}", service, e.toString());
        }
    }

    /** Hands {@code item} over; when it is done, the next of its key follows on the same permit. */
    private void dispatch(Item item) {
        CompletableFuture<Void> f;
        try {
            f = handler.handle(item.request(), item.offset() < startedAt);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((ok, error) -> {
            if (error != null) {
                log.warn(
                        "dispatching {} failed, again in {} ms: {}",
                        item.request().request().id(),
                        RETRY.toMillis(),
                        error.toString());
                if (running) {
                    CompletableFuture.delayedExecutor(RETRY.toMillis(), TimeUnit.MILLISECONDS, continuations)
                            .execute(() -> dispatch(item));
                }
                return;
            }
            Item following;
            synchronized (this) {
                open.remove(item.offset());
                ArrayDeque<Item> lane = lanes.get(item.key());
                following = lane.poll();
                if (following == null) lanes.remove(item.key());
            }
            done.incrementAndGet();
            queued.release();
            if (following != null) continuations.execute(() -> dispatch(following));
            else keys.release();
        });
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        committer.close();
        continuations.shutdown();
    }
}
