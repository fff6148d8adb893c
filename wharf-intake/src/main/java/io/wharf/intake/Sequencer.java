package io.wharf.intake;

import io.wharf.core.intake.ReorderBuffer;
import io.wharf.intake.log.IntakeLog;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The re-ordering service of claim 002.4 for one service: reads every intake partition ({@code
 * in.SERVICE.INTAKE}), holds requests in a {@link ReorderBuffer} until the watermark passes them, and writes
 * them in send order to the ordered stream ({@code ordered.SERVICE}) — "stores them again". Its position is a
 * checkpoint in the log, committed once what it released is confirmed: per partition the oldest request still
 * held and how far it had read, its watermark, and the end of the ordered stream. A sequencer that starts
 * after another died reads again from there, skips what it had read and released (sent before that
 * watermark) and what the ordered stream got after the checkpoint, so nothing is lost or written twice.
 *
 * <p>An intake partition that has sent nothing, not even a heartbeat, for {@code idleAfter} stops holding the
 * watermark back (its intake is gone); it takes part again with its next record.
 */
public final class Sequencer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Sequencer.class);
    static final Duration COMMIT_EVERY = Duration.ofMillis(100);
    /** How often what every reader is past is given back to the log ({@link IntakeLog#trim}). */
    static final Duration TRIM_EVERY = Duration.ofSeconds(1);

    static final String ORDERED_END = "~ordered-end";
    static final String WATERMARK = "~watermark";
    static final String READ = "#read";
    /** How long one read waits for a record of any partition. */
    static final Duration WAIT = Duration.ofMillis(2);
    /** How long it waits before starting again after the log failed. */
    static final Duration RESTART = Duration.ofMillis(500);

    private final IntakeLog logs;
    private final String service;
    private final long skewMicros;
    private final Duration idleAfter;
    private final LongSupplier clockMicros;
    private final Thread thread;
    /** Writes the checkpoints, so that ordering does not wait for their syncs. */
    private final Committer committer;

    private volatile boolean running = true;
    private final AtomicLong released = new AtomicLong();
    private final AtomicLong lateCount = new AtomicLong();
    private final AtomicLong writtenBefore = new AtomicLong();
    private volatile long watermark = Long.MIN_VALUE;
    private volatile int held;
    /** Its last append to the ordered stream: a sequencer that stops waits for it before it lets go. */
    private volatile CompletableFuture<Long> last = CompletableFuture.completedFuture(-1L);

    private Sequencer(IntakeLog logs, String service, Duration skew, Duration idleAfter, LongSupplier clockMicros) {
        this.logs = logs;
        this.service = service;
        this.skewMicros = skew.toNanos() / 1000;
        this.idleAfter = idleAfter;
        this.clockMicros = clockMicros;
        this.thread = Thread.ofPlatform().name("wharf-sequencer-" + service).unstarted(this::run);
        this.committer = new Committer("wharf-sequencer-checkpoints-" + service);
    }

    /** Starts ordering {@code service}'s requests from its last checkpoint. */
    public static Sequencer start(
            IntakeLog logs, String service, Duration skew, Duration idleAfter, LongSupplier clockMicros) {
        Sequencer s = new Sequencer(logs, service, skew, idleAfter, clockMicros);
        s.thread.start();
        return s;
    }

    /** The partition intake instance {@code intake} of {@code service} writes to. */
    public static String inPartition(String service, String intake) {
        return "in." + service + "." + intake;
    }

    /** The ordered stream of {@code service}. */
    public static String orderedPartition(String service) {
        return "ordered." + service;
    }

    /** When the input partitions are trimmed next; the committer's thread's. */
    private long nextTrim = System.nanoTime();

    private String checkpointName() {
        return checkpointName(service);
    }

    /** The name of {@code service}'s sequencer's checkpoint in the log. */
    static String checkpointName(String service) {
        return "sequencer." + service;
    }

    /** Requests written to the ordered stream since this sequencer started. */
    public long released() {
        return released.get();
    }

    /**
     * Requests read again after it started from a checkpoint that were in the ordered stream already (written
     * by the sequencer before it, after that checkpoint): not written twice.
     */
    public long writtenBefore() {
        return writtenBefore.get();
    }

    /** Requests that came after their place was passed. */
    public long late() {
        return lateCount.get();
    }

    /** Requests held for re-ordering. */
    public int held() {
        return held;
    }

    /** The send time up to which everything is ordered. */
    public long watermark() {
        return watermark;
    }

    private final class Input {
        final String partition;
        long next;
        /** Read before the checkpoint: below it, what was sent before the checkpoint's watermark was released. */
        final long readBefore;

        long lastRecordNanos = System.nanoTime();
        /** The intake's clock at its newest record read. */
        long lastClockMicros = Long.MIN_VALUE;

        boolean open = true;

        Input(String partition, long next, long readBefore) {
            this.partition = partition;
            this.next = next;
            this.readBefore = readBefore;
        }
    }

    /**
     * Orders until closed. When the log fails (a broker away, a record the ordered stream refused), it starts
     * again from its last checkpoint, as a sequencer taking over from a dead one does: what was released and
     * confirmed is not written again, what was not is.
     */
    private void run() {
        while (running) {
            try {
                order();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                if (!running) return;
                log.warn("sequencer of {}: {}; again from its checkpoint in {} ms", service, e, RESTART.toMillis());
                try {
                    Thread.sleep(RESTART);
                } catch (InterruptedException x) {
                    return;
                }
            }
        }
    }

    private void order() throws IOException, InterruptedException {
        String ordered = orderedPartition(service);
        // a checkpoint still being written lands first: this round starts from the newest
        committer.settle();
        Map<String, Long> checkpoint = logs.committed(checkpointName());
        // what the ordered stream got after the checkpoint is there already: not written again. Each of them
        // comes round again (it is read again from the checkpoint) and is dropped from the set then; until the
        // set is empty, checkpoints keep this ordered end, so that a restart meanwhile finds them too
        Set<String> written = new HashSet<>();
        long from = checkpoint.getOrDefault(ORDERED_END, 0L);
        long releasedBefore = checkpoint.getOrDefault(WATERMARK, Long.MIN_VALUE);
        // the sequencer before this one passed the newest of those: a request sent before it and not written is
        // behind it in the ordered stream whatever happens now, so it is late, as it would have been there
        long passed = releasedBefore;
        for (var r : logs.read(ordered, from, Integer.MAX_VALUE, Duration.ZERO)) {
            if (IntakeRecord.decode(r.bytes()) instanceof IntakeRecord.Ordered o) {
                written.add(o.request().id());
                passed = Math.max(passed, o.request().sentMicros());
            }
        }
        log.info(
                "sequencer of {} starts from its checkpoint {}; {} ordered after it already",
                service,
                checkpoint,
                written.size());
        ReorderBuffer<IntakeRecord.Request> buffer = new ReorderBuffer<>(skewMicros);
        buffer.resumeAt(passed);
        Map<String, Input> inputs = new HashMap<>();
        String prefix = "in." + service + ".";
        long nextDiscovery = 0;
        long nextCommit = System.nanoTime() + COMMIT_EVERY.toNanos();
        // the ordered stream's last record: this sequencer is its one writer from here on
        CompletableFuture<Long> lastAppend = CompletableFuture.completedFuture(logs.end(ordered) - 1);
        AtomicReference<Throwable> refused = new AtomicReference<>();
        while (running) {
            long now = System.nanoTime();
            if (now - nextDiscovery >= 0) {
                for (String p : logs.partitions()) {
                    if (p.startsWith(prefix) && !inputs.containsKey(p)) {
                        long at = checkpoint.getOrDefault(p, 0L);
                        inputs.put(p, new Input(p, at, checkpoint.getOrDefault(p + READ, at)));
                        buffer.open(p, at);
                        log.info("sequencer of {} reads {} from {}", service, p, at);
                    }
                }
                nextDiscovery = now + TimeUnit.MILLISECONDS.toNanos(200);
            }
            List<ReorderBuffer.Released<IntakeRecord.Request>> out = new ArrayList<>();
            Map<String, Long> at = new HashMap<>();
            for (Input in : inputs.values()) at.put(in.partition, in.next);
            Map<String, List<IntakeLog.Record>> read = inputs.isEmpty() ? Map.of() : logs.read(at, 4096, WAIT);
            if (inputs.isEmpty()) Thread.sleep(5);
            now = System.nanoTime();
            for (Input in : inputs.values()) {
                List<IntakeLog.Record> records = read.getOrDefault(in.partition, List.of());
                if (records.isEmpty()) {
                    // silent for idleAfter since this sequencer read its last record, or by the intake's own
                    // clock: a sequencer that took over reads a dead intake's last heartbeat, long past
                    boolean silent = now - in.lastRecordNanos > idleAfter.toNanos()
                            || (in.lastClockMicros != Long.MIN_VALUE
                                    && clockMicros.getAsLong() - in.lastClockMicros > idleAfter.toNanos() / 1000);
                    if (in.open && silent) {
                        in.open = false;
                        out.addAll(buffer.close(in.partition));
                        log.warn("sequencer of {}: {} silent for {}; not waited for", service, in.partition, idleAfter);
                    }
                    continue;
                }
                in.lastRecordNanos = now;
                if (!in.open) {
                    in.open = true;
                    buffer.open(in.partition, in.next);
                }
                for (IntakeLog.Record r : records) {
                    in.next = r.offset() + 1;
                    switch (IntakeRecord.decode(r.bytes())) {
                        case IntakeRecord.Request q -> {
                            if (r.offset() < in.readBefore && q.sentMicros() <= releasedBefore) continue;
                            in.lastClockMicros = q.arrivedMicros();
                            out.addAll(buffer.add(new ReorderBuffer.Entry<>(
                                    in.partition, r.offset(), q.intake(), q.seq(), q.sentMicros(), q)));
                        }
                        case IntakeRecord.Heartbeat h -> {
                            in.lastClockMicros = h.clockMicros();
                            out.addAll(buffer.heartbeat(in.partition, h.clockMicros()));
                        }
                        case IntakeRecord.Ordered o -> log.warn("ordered record in {}: skipped", in.partition);
                        case IntakeRecord.Reply y -> log.warn("reply record in {}: skipped", in.partition);
                    }
                }
            }
            long orderedAt = clockMicros.getAsLong();
            for (var r : out) {
                IntakeRecord.Request q = r.entry().payload();
                if (written.remove(q.id())) {
                    writtenBefore.incrementAndGet();
                    continue;
                }
                lastAppend = last =
                        logs.append(ordered, IntakeRecord.encode(new IntakeRecord.Ordered(q, orderedAt, r.late())));
                lastAppend.whenComplete((o, e) -> {
                    if (e != null) refused.compareAndSet(null, e);
                });
                released.incrementAndGet();
                if (r.late()) lateCount.incrementAndGet();
            }
            if (refused.get() != null) {
                // a hole in the ordered stream: never checkpoint past it
                throw new IOException("the ordered stream refused a record: " + refused.get());
            }
            watermark = buffer.watermark();
            held = buffer.held();
            if (System.nanoTime() - nextCommit >= 0 && committer.idle()) {
                commit(buffer, inputs, lastAppend, refused, written.isEmpty() ? -1 : from);
                nextCommit = System.nanoTime() + COMMIT_EVERY.toNanos();
            }
        }
    }

    /**
     * Hands the checkpoint of this moment to the committer: the offsets are taken now, on the sequencer's thread;
     * the committer waits until every append before it is confirmed, then writes it and trims what it lets go.
     *
     * @param orderedEnd the ordered end to keep, or -1 for the end after the last append
     */
    private void commit(
            ReorderBuffer<IntakeRecord.Request> buffer,
            Map<String, Input> inputs,
            CompletableFuture<Long> lastAppend,
            AtomicReference<Throwable> refused,
            long orderedEnd) {
        Map<String, Long> at = new HashMap<>(buffer.checkpoint());
        List<String> partitions = new ArrayList<>();
        for (Input i : inputs.values()) {
            // a closed partition holds nothing: read again from where it was left
            if (!i.open) at.put(i.partition, i.next);
            at.put(i.partition + READ, i.next);
            partitions.add(i.partition);
        }
        at.put(WATERMARK, buffer.watermark());
        committer.commit(() -> {
            long lastOffset;
            try {
                // appends are confirmed in order: once the last is, every one before it has been, or refused
                lastOffset = lastAppend.get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IOException("the ordered stream did not confirm: " + e.getMessage(), e);
            }
            if (refused.get() != null) throw new IOException("the ordered stream refused a record: " + refused.get());
            at.put(ORDERED_END, orderedEnd >= 0 ? orderedEnd : lastOffset + 1);
            logs.commit(checkpointName(), at);
            if (System.nanoTime() - nextTrim >= 0) {
                // a sequencer that starts again reads each partition from the checkpoint: nothing below it is read
                try {
                    for (String p : partitions) logs.trim(p, at.getOrDefault(p, 0L));
                } catch (IOException | RuntimeException e) {
                    log.warn("sequencer of {}: partitions not trimmed, again later: {}", service, e.toString());
                }
                nextTrim = System.nanoTime() + TRIM_EVERY.toNanos();
            }
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
        try {
            last.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.debug("sequencer of {}: its last append: {}", service, e.toString());
        }
        // the next leader writes the ordered stream
        logs.release(orderedPartition(service));
    }
}
