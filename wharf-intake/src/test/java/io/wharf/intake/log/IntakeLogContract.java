package io.wharf.intake.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What every intake log does, whichever backend keeps it: confirmed appends read back in order by dense
 * offsets, kept across a reopen, with checkpoints; readers waiting at the end woken by an append.
 */
abstract class IntakeLogContract {
    /** Opens the log under test; opened again, the same log. */
    abstract IntakeLog open() throws Exception;

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<String> texts(List<IntakeLog.Record> records) {
        return records.stream()
                .map(r -> new String(r.bytes(), StandardCharsets.UTF_8))
                .toList();
    }

    @Test
    @DisplayName("002.3 appends from many threads are confirmed once synced, read back in order by offset, and"
            + " kept across a reopen")
    void appendsAndReads() throws Exception {
        try (IntakeLog log = open()) {
            List<CompletableFuture<Long>> done = new ArrayList<>();
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int id = t;
                writers.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 500; i++) {
                        var f = log.append("in-" + (id % 2), bytes(id + ":" + i));
                        synchronized (done) {
                            done.add(f);
                        }
                    }
                }));
            }
            for (Thread w : writers) w.join();
            for (var f : done) f.get(30, TimeUnit.SECONDS);
            assertThat(log.end("in-0") + log.end("in-1")).isEqualTo(4000);
            List<IntakeLog.Record> all = log.read("in-0", 0, 10_000, Duration.ZERO);
            assertThat(all).hasSize(2000);
            for (int i = 0; i < all.size(); i++) assertThat(all.get(i).offset()).isEqualTo(i);
            // each writer's records in the order it wrote them
            List<String> writer0 =
                    texts(all).stream().filter(s -> s.startsWith("0:")).toList();
            assertThat(writer0).hasSize(500).startsWith("0:0", "0:1").endsWith("0:499");
            assertThat(log.read("in-0", 1990, 100, Duration.ZERO)).hasSize(10);
            log.commit("sequencer", Map.of("in-0", 1200L, "in-1", 7L));
        }
        try (IntakeLog log = open()) {
            assertThat(log.partitions()).containsExactlyInAnyOrder("in-0", "in-1");
            assertThat(log.end("in-0")).isEqualTo(2000);
            assertThat(log.committed("sequencer")).isEqualTo(Map.of("in-0", 1200L, "in-1", 7L));
            assertThat(log.committed("nobody")).isEmpty();
        }
    }

    @Test
    @DisplayName("002.3 a reader waiting at the end wakes when a record is confirmed")
    void readersWait() throws Exception {
        try (IntakeLog log = open()) {
            CompletableFuture<List<IntakeLog.Record>> read = CompletableFuture.supplyAsync(() -> {
                try {
                    return log.read("in-b", 0, 10, Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            log.append("in-b", bytes("hello")).get(10, TimeUnit.SECONDS);
            assertThat(texts(read.get(30, TimeUnit.SECONDS))).containsExactly("hello");
            assertThat(log.read("in-b", 1, 10, Duration.ofMillis(10))).isEmpty();
        }
    }

    @Test
    @DisplayName("002.4 a reader of many partitions gets what each holds from its offset in one call, and one waiting"
            + " on all of them wakes with a record of any")
    void readsManyAtOnce() throws Exception {
        try (IntakeLog log = open()) {
            for (int i = 0; i < 3; i++) log.append("in-p", bytes("p" + i)).get(10, TimeUnit.SECONDS);
            log.append("in-q", bytes("q0")).get(10, TimeUnit.SECONDS);
            var got = log.read(Map.of("in-p", 1L, "in-q", 1L, "in-r", 0L), 10, Duration.ZERO);
            assertThat(got.keySet()).containsExactly("in-p");
            assertThat(texts(got.get("in-p"))).containsExactly("p1", "p2");
            assertThat(got.get("in-p").get(0).offset()).isEqualTo(1);
            CompletableFuture<Map<String, List<IntakeLog.Record>>> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return log.read(Map.of("in-p", 3L, "in-q", 1L), 10, Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            log.append("in-q", bytes("q1")).get(10, TimeUnit.SECONDS);
            var woke = waiting.get(30, TimeUnit.SECONDS);
            assertThat(texts(woke.get("in-q"))).containsExactly("q1");
        }
    }

    /** Record {@code i} of the trimming test: about 200 bytes, so that 100 of them span segments. */
    static String padded(long i) {
        return "t" + i + ":" + "x".repeat(200);
    }

    @Test
    @DisplayName("002.3 a partition trimmed below an offset keeps every record from it on; a read from below starts at"
            + " the first record kept; the numbering goes on where it was, also after a reopen")
    void trims() throws Exception {
        try (IntakeLog log = open()) {
            for (int i = 0; i < 100; i++) log.append("in-t", bytes(padded(i))).get(10, TimeUnit.SECONDS);
            log.trim("in-t", 60);
            List<IntakeLog.Record> kept = log.read("in-t", 0, 1000, Duration.ZERO);
            long first = kept.get(0).offset();
            assertThat(first).isLessThanOrEqualTo(60);
            if (log.trims()) {
                assertThat(first).isPositive();
            } else {
                assertThat(first).isZero();
            }
            assertThat(kept).hasSize((int) (100 - first));
            for (int k = 0; k < kept.size(); k++) {
                assertThat(kept.get(k).offset()).isEqualTo(first + k);
                assertThat(new String(kept.get(k).bytes(), StandardCharsets.UTF_8))
                        .isEqualTo(padded(first + k));
            }
            assertThat(log.end("in-t")).isEqualTo(100);
            // past the end: the end stays where it is
            log.trim("in-t", 1000);
            assertThat(log.end("in-t")).isEqualTo(100);
            assertThat(log.append("in-t", bytes(padded(100))).get(10, TimeUnit.SECONDS))
                    .isEqualTo(100);
        }
        try (IntakeLog log = open()) {
            assertThat(log.end("in-t")).isEqualTo(101);
            assertThat(texts(log.read("in-t", 100, 10, Duration.ZERO))).containsExactly(padded(100));
            assertThat(log.append("in-t", bytes(padded(101))).get(10, TimeUnit.SECONDS))
                    .isEqualTo(101);
        }
    }
}
