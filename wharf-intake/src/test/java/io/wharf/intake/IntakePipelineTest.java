package io.wharf.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.intake.log.EmbeddedLog;
import io.wharf.intake.log.IntakeLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded pipeline in one process: intake instances append to their partitions, the sequencer orders,
 * the dispatcher hands over by key. Requests reach the intakes after a random delay of 0–200 ms.
 */
class IntakePipelineTest {
    static final String SERVICE = "shop";
    static final Duration SKEW = Duration.ofMillis(250);

    @TempDir
    Path dir;

    /** The log the pipeline runs on; opened again, the same log. Small segments, so that trimming deletes some. */
    IntakeLog open() throws Exception {
        return EmbeddedLog.open(dir, 4096);
    }

    /** The log, trimmed by nobody: for tests that read the ordered stream from its start. */
    IntakeLog untrimmed() throws Exception {
        return new KeepAll(open());
    }

    /** A log that keeps everything, whatever readers are past. */
    static final class KeepAll extends Delegating {
        KeepAll(IntakeLog log) {
            super(log);
        }

        @Override
        public void trim(String partition, long before) {}

        @Override
        public boolean trims() {
            return false;
        }
    }

    /** Another log's every call, for tests to change one of them. */
    static class Delegating implements IntakeLog {
        final IntakeLog log;

        Delegating(IntakeLog log) {
            this.log = log;
        }

        @Override
        public CompletableFuture<Long> append(String partition, byte[] record) {
            return log.append(partition, record);
        }

        @Override
        public List<Record> read(String partition, long from, int max, Duration wait) throws InterruptedException {
            return log.read(partition, from, max, wait);
        }

        @Override
        public Map<String, List<Record>> read(Map<String, Long> from, int max, Duration wait)
                throws InterruptedException {
            return log.read(from, max, wait);
        }

        @Override
        public void release(String partition) {
            log.release(partition);
        }

        @Override
        public void trim(String partition, long before) throws java.io.IOException {
            log.trim(partition, before);
        }

        @Override
        public boolean trims() {
            return log.trims();
        }

        @Override
        public long end(String partition) {
            return log.end(partition);
        }

        @Override
        public Set<String> partitions() {
            return log.partitions();
        }

        @Override
        public void commit(String reader, Map<String, Long> offsets) throws java.io.IOException {
            log.commit(reader, offsets);
        }

        @Override
        public Map<String, Long> committed(String reader) throws java.io.IOException {
            return log.committed(reader);
        }

        @Override
        public void close() {
            log.close();
        }
    }

    /** The wall clock in microseconds, as intakes read it. */
    static long nowMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }

    /** An intake instance: its partition, its numbering, its heartbeat. */
    static final class Intake implements AutoCloseable {
        final IntakeLog log;
        final String name;
        final AtomicLong seq = new AtomicLong();
        final Thread beat;
        volatile boolean running = true;

        Intake(IntakeLog log, String name) {
            this.log = log;
            this.name = name;
            this.beat = Thread.ofVirtual().start(() -> {
                while (running) {
                    log.append(
                            Sequencer.inPartition(SERVICE, name),
                            IntakeRecord.encode(new IntakeRecord.Heartbeat(name, nowMicros())));
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        CompletableFuture<Long> take(long sentMicros, String key) {
            long s = seq.getAndIncrement();
            var r = new IntakeRecord.Request(
                    name + "-" + s,
                    name,
                    s,
                    sentMicros,
                    nowMicros(),
                    false,
                    key,
                    "POST",
                    "/buy",
                    Map.of(),
                    new byte[0]);
            return log.append(Sequencer.inPartition(SERVICE, name), IntakeRecord.encode(r));
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            beat.join();
        }
    }

    /** Stores each result once, by id; checks that no key is processed twice at once. */
    static final class Results implements Dispatcher.Handler {
        final Map<String, List<IntakeRecord.Ordered>> byKey = new ConcurrentHashMap<>();
        final Set<String> stored = ConcurrentHashMap.newKeySet();
        final Set<String> busy = ConcurrentHashMap.newKeySet();
        final AtomicInteger overlaps = new AtomicInteger();
        final AtomicInteger applied = new AtomicInteger();

        @Override
        public CompletableFuture<Void> handle(IntakeRecord.Ordered o, boolean again) {
            String key = o.request().orderKey();
            if (!busy.add(key)) overlaps.incrementAndGet();
            return CompletableFuture.runAsync(
                            () -> {
                                if (stored.add(o.request().id())) {
                                    applied.incrementAndGet();
                                    byKey.computeIfAbsent(key, k -> new ArrayList<>())
                                            .add(o);
                                }
                            },
                            CompletableFuture.delayedExecutor(
                                    ThreadLocalRandom.current().nextInt(3), TimeUnit.MILLISECONDS))
                    .whenComplete((x, e) -> busy.remove(key));
        }

        /** Pairs of one key's requests handled out of send order, late ones aside. */
        int inversions() {
            int n = 0;
            for (List<IntakeRecord.Ordered> handled : byKey.values()) {
                long last = Long.MIN_VALUE;
                for (IntakeRecord.Ordered o : handled) {
                    if (o.late()) continue;
                    if (o.request().sentMicros() < last) n++;
                    last = o.request().sentMicros();
                }
            }
            return n;
        }
    }

    /** Sends {@code n} requests through {@code intakes}, each after a random delay of 0–200 ms. */
    static void send(List<Intake> intakes, int n, int keys) throws Exception {
        Random random = new Random(7);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Long>> acks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long delay = random.nextInt(201);
                Intake at = intakes.get(random.nextInt(intakes.size()));
                String key = "item-" + random.nextInt(keys);
                CompletableFuture<Long> ack = new CompletableFuture<>();
                acks.add(ack);
                long sent = nowMicros();
                pool.submit(() -> {
                    Thread.sleep(delay);
                    at.take(sent, key).whenComplete((o, e) -> {
                        if (e != null) ack.completeExceptionally(e);
                        else ack.complete(o);
                    });
                    return null;
                });
                if (i % 10 == 9) Thread.sleep(1); // about 10,000 a second
            }
            for (var a : acks) a.get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    @DisplayName("002.4 002.5 requests delayed 0–200 ms reach three intakes; with a skew of 250 ms each key is"
            + " handled in send order, one at a time, every request once")
    void ordersEachKey() throws Exception {
        try (IntakeLog log = untrimmed()) {
            List<Intake> intakes = List.of(new Intake(log, "a"), new Intake(log, "b"), new Intake(log, "c"));
            Results results = new Results();
            try (Sequencer sequencer =
                            Sequencer.start(log, SERVICE, SKEW, Duration.ofSeconds(2), IntakePipelineTest::nowMicros);
                    Dispatcher dispatcher = Dispatcher.start(log, SERVICE, 16, 10_000, results)) {
                send(intakes, 5000, 50);
                await().atMost(Duration.ofSeconds(60)).until(() -> results.applied.get() == 5000);
                assertThat(results.overlaps.get()).isZero();
                assertThat(results.inversions()).isZero();
                assertThat(results.stored).hasSize(5000);
                // the ordered stream itself: in send order but for what is marked late
                List<IntakeRecord.Ordered> stream = new ArrayList<>();
                for (var r : log.read(Sequencer.orderedPartition(SERVICE), 0, 100_000, Duration.ZERO)) {
                    stream.add((IntakeRecord.Ordered) IntakeRecord.decode(r.bytes()));
                }
                assertThat(stream).hasSize(5000);
                long last = Long.MIN_VALUE;
                int late = 0;
                for (IntakeRecord.Ordered o : stream) {
                    if (o.late()) {
                        late++;
                        continue;
                    }
                    assertThat(o.request().sentMicros()).isGreaterThanOrEqualTo(last);
                    last = o.request().sentMicros();
                }
                assertThat(late).isEqualTo(sequencer.late());
            } finally {
                for (Intake i : intakes) i.close();
            }
        }
    }

    @Test
    @DisplayName("002.4 002.5 ordering and dispatching go on while the sequencer's and the dispatcher's checkpoints"
            + " take long to write")
    void checkpointsDoNotHoldUpOrdering() throws Exception {
        CountDownLatch writable = new CountDownLatch(1);
        AtomicInteger waiting = new AtomicInteger();
        try (IntakeLog log = new Delegating(open()) {
            @Override
            public void commit(String reader, Map<String, Long> offsets) throws java.io.IOException {
                waiting.incrementAndGet();
                try {
                    // a checkpoint's sync that takes as long as the test
                    writable.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.commit(reader, offsets);
            }
        }) {
            List<Intake> intakes = List.of(new Intake(log, "a"), new Intake(log, "b"));
            Results results = new Results();
            try (Sequencer sequencer =
                            Sequencer.start(log, SERVICE, SKEW, Duration.ofSeconds(2), IntakePipelineTest::nowMicros);
                    Dispatcher dispatcher = Dispatcher.start(log, SERVICE, 16, 10_000, results)) {
                send(intakes, 500, 10);
                await().atMost(Duration.ofSeconds(30)).until(() -> results.applied.get() == 500);
                // both had a checkpoint to write, and neither has written it
                assertThat(waiting.get()).isEqualTo(2);
                assertThat(results.inversions()).isZero();
                writable.countDown();
            } finally {
                writable.countDown();
                for (Intake i : intakes) i.close();
            }
        }
    }

    @Test
    @DisplayName("002.3 what every reader is past goes back to the log: once requests are handled, the intakes'"
            + " partitions and the ordered stream no longer start at 0 (where the log trims), and every request was"
            + " handled once")
    void givesBackWhatIsRead() throws Exception {
        try (IntakeLog log = open()) {
            List<Intake> intakes = List.of(new Intake(log, "a"), new Intake(log, "b"), new Intake(log, "c"));
            Results results = new Results();
            List<String> partitions = new ArrayList<>();
            for (Intake i : intakes) partitions.add(Sequencer.inPartition(SERVICE, i.name));
            partitions.add(Sequencer.orderedPartition(SERVICE));
            try (Sequencer sequencer =
                            Sequencer.start(log, SERVICE, SKEW, Duration.ofSeconds(2), IntakePipelineTest::nowMicros);
                    Dispatcher dispatcher = Dispatcher.start(log, SERVICE, 16, 10_000, results)) {
                send(intakes, 2000, 20);
                await().atMost(Duration.ofSeconds(60)).until(() -> results.applied.get() == 2000);
                if (log.trims()) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> {
                        for (String p : partitions) {
                            if (log.read(p, 0, 1, Duration.ZERO).get(0).offset() == 0) return false;
                        }
                        return true;
                    });
                } else {
                    for (String p : partitions) {
                        assertThat(log.read(p, 0, 1, Duration.ZERO).get(0).offset())
                                .isZero();
                    }
                }
                assertThat(results.stored).hasSize(2000);
                assertThat(results.overlaps.get()).isZero();
                assertThat(results.inversions()).isZero();
            } finally {
                for (Intake i : intakes) i.close();
            }
        }
    }

    @Test
    @DisplayName(
            "002.4 a sequencer stopped after writing requests its checkpoint still holds, started again and holding"
                    + " them longer than a checkpoint's interval: none is written twice")
    void writtenBeforeARestartStayWritten() throws Exception {
        try (IntakeLog log = untrimmed()) {
            long t0 = nowMicros();
            // the intake's clock stands still: only a silence of idleAfter by the sequencer's own time closes the
            // partition and lets what it holds go, several checkpoints after it was read
            java.util.function.LongSupplier clock = () -> t0 + 10_000;
            // between two of the sequencer's checkpoints (every 100 ms)
            Duration idleAfter = Duration.ofMillis(450);
            String partition = Sequencer.inPartition(SERVICE, "a");
            for (int i = 0; i < 10; i++) {
                var r = new IntakeRecord.Request(
                        "a-" + i, "a", i, t0 + i, t0 + i, false, "k", "POST", "/buy", Map.of(), new byte[0]);
                log.append(partition, IntakeRecord.encode(r)).get(10, TimeUnit.SECONDS);
            }
            // a second intake, ten seconds ahead and alive throughout: once a falls silent, what it holds goes
            java.util.concurrent.atomic.AtomicBoolean beating = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread b = Thread.ofVirtual().start(() -> {
                while (beating.get()) {
                    log.append(
                            Sequencer.inPartition(SERVICE, "b"),
                            IntakeRecord.encode(new IntakeRecord.Heartbeat("b", t0 + 10_000_000)));
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            try {
                Sequencer first = Sequencer.start(log, SERVICE, SKEW, idleAfter, clock);
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(1))
                        .until(() -> first.released() == 10);
                first.close(); // most likely before a checkpoint says they were written
                int before = log.read(Sequencer.orderedPartition(SERVICE), 0, 1000, Duration.ZERO)
                        .size();
                Sequencer second = Sequencer.start(log, SERVICE, SKEW, idleAfter, clock);
                try {
                    // past a's requests: held and let go, or passed already by the checkpoint it started from
                    await().atMost(Duration.ofSeconds(30)).until(() -> second.watermark() > t0 + 9);
                    long more = second.released();
                    await().atMost(Duration.ofSeconds(30))
                            .until(() -> log.read(Sequencer.orderedPartition(SERVICE), 0, 1000, Duration.ZERO)
                                            .size()
                                    == before + more);
                } finally {
                    second.close();
                }
            } finally {
                beating.set(false);
                b.join();
            }
            Map<String, Integer> written = new HashMap<>();
            for (var r : log.read(Sequencer.orderedPartition(SERVICE), 0, 1000, Duration.ZERO)) {
                if (IntakeRecord.decode(r.bytes()) instanceof IntakeRecord.Ordered o)
                    written.merge(o.request().id(), 1, Integer::sum);
            }
            assertThat(written).hasSize(10);
            assertThat(written.values()).containsOnly(1);
        }
    }

    @Test
    @DisplayName("002.4 a request sent before one the dead sequencer wrote after its checkpoint, and not written"
            + " itself, comes after it in the ordered stream: marked late, not passed off as in order")
    void behindWhatTheDeadSequencerWroteIsLate() throws Exception {
        try (IntakeLog log = untrimmed()) {
            long t0 = nowMicros();
            String partition = Sequencer.inPartition(SERVICE, "a");
            IntakeRecord.Request written = request("a-0", 0, t0 + 2_000);
            IntakeRecord.Request behind = request("a-1", 1, t0 + 1_000);
            log.append(partition, IntakeRecord.encode(written)).get(10, TimeUnit.SECONDS);
            log.append(partition, IntakeRecord.encode(behind)).get(10, TimeUnit.SECONDS);
            // the dead sequencer: a checkpoint from before both, then the first written (the second it had not
            // read, or its write was lost)
            log.commit("sequencer." + SERVICE, Map.of(Sequencer.WATERMARK, t0, Sequencer.ORDERED_END, 0L));
            log.append(
                            Sequencer.orderedPartition(SERVICE),
                            IntakeRecord.encode(new IntakeRecord.Ordered(written, t0 + 2_100, false)))
                    .get(10, TimeUnit.SECONDS);
            log.append(partition, IntakeRecord.encode(new IntakeRecord.Heartbeat("a", t0 + 10_000_000)))
                    .get(10, TimeUnit.SECONDS);

            Sequencer next = Sequencer.start(log, SERVICE, SKEW, Duration.ofSeconds(30), () -> t0 + 10_000_000);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> next.released() == 1);
                assertThat(next.writtenBefore()).isEqualTo(1);
                assertThat(next.late()).isEqualTo(1);
            } finally {
                next.close();
            }
            List<IntakeRecord.Ordered> ordered = new ArrayList<>();
            for (var r : log.read(Sequencer.orderedPartition(SERVICE), 0, 1000, Duration.ZERO)) {
                if (IntakeRecord.decode(r.bytes()) instanceof IntakeRecord.Ordered o) ordered.add(o);
            }
            assertThat(ordered)
                    .extracting(o -> o.request().id() + (o.late() ? " late" : ""))
                    .containsExactly("a-0", "a-1 late");
        }
    }

    static IntakeRecord.Request request(String id, long seq, long sentMicros) {
        return new IntakeRecord.Request(
                id, "a", seq, sentMicros, sentMicros, false, "k", "POST", "/buy", Map.of(), new byte[0]);
    }

    @Test
    @DisplayName("002.4 002.5 a sequencer and a dispatcher stopped mid-stream without a last checkpoint, and"
            + " started again: nothing lost, nothing written or applied twice")
    void restartsLoseAndRepeatNothing() throws Exception {
        Results results = new Results();
        try (IntakeLog log = untrimmed()) {
            List<Intake> intakes = List.of(new Intake(log, "a"), new Intake(log, "b"));
            try {
                Sequencer first =
                        Sequencer.start(log, SERVICE, SKEW, Duration.ofSeconds(2), IntakePipelineTest::nowMicros);
                Dispatcher firstDispatcher = Dispatcher.start(log, SERVICE, 8, 10_000, results);
                CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                    try {
                        send(intakes, 4000, 20);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                await().atMost(Duration.ofSeconds(60)).until(() -> results.applied.get() > 1000);
                first.close();
                firstDispatcher.close();
                Sequencer second =
                        Sequencer.start(log, SERVICE, SKEW, Duration.ofSeconds(2), IntakePipelineTest::nowMicros);
                Dispatcher secondDispatcher = Dispatcher.start(log, SERVICE, 8, 10_000, results);
                sending.get(60, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(60)).until(() -> results.applied.get() == 4000);
                second.close();
                secondDispatcher.close();
            } finally {
                for (Intake i : intakes) i.close();
            }
            Map<String, Integer> written = new HashMap<>();
            for (var r : log.read(Sequencer.orderedPartition(SERVICE), 0, 100_000, Duration.ZERO)) {
                IntakeRecord.Ordered o = (IntakeRecord.Ordered) IntakeRecord.decode(r.bytes());
                written.merge(o.request().id(), 1, Integer::sum);
            }
            assertThat(written).hasSize(4000);
            assertThat(new HashSet<>(written.values())).containsExactly(1);
        }
        assertThat(results.stored).hasSize(4000);
    }
}
