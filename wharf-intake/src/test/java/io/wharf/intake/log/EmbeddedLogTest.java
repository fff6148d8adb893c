package io.wharf.intake.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedLogTest {
    @TempDir
    Path dir;

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
        try (EmbeddedLog log = EmbeddedLog.open(dir)) {
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
        try (EmbeddedLog log = EmbeddedLog.open(dir)) {
            assertThat(log.partitions()).containsExactly("in-0", "in-1");
            assertThat(log.end("in-0")).isEqualTo(2000);
            assertThat(log.committed("sequencer")).isEqualTo(Map.of("in-0", 1200L, "in-1", 7L));
            assertThat(log.committed("nobody")).isEmpty();
        }
    }

    @Test
    @DisplayName("002.3 a record torn by a crash is cut off on reopen; every confirmed one is there")
    void tornTail() throws Exception {
        try (EmbeddedLog log = EmbeddedLog.open(dir)) {
            for (int i = 0; i < 10; i++) log.append("in-a", bytes("r" + i)).get(10, TimeUnit.SECONDS);
        }
        // half a record at the end, as a kill during a write leaves it
        try (FileChannel ch = FileChannel.open(dir.resolve("in-a.log"), StandardOpenOption.APPEND)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {0, 0, 0, 50, 1, 2, 3}));
        }
        long before = Files.size(dir.resolve("in-a.log"));
        try (EmbeddedLog log = EmbeddedLog.open(dir)) {
            assertThat(texts(log.read("in-a", 0, 100, Duration.ZERO)))
                    .hasSize(10)
                    .endsWith("r9");
            assertThat(Files.size(dir.resolve("in-a.log"))).isEqualTo(before - 7);
            assertThat(log.append("in-a", bytes("r10")).get(10, TimeUnit.SECONDS))
                    .isEqualTo(10);
        }
    }

    @Test
    @DisplayName("002.3 a reader waiting at the end wakes when a record is confirmed")
    void readersWait() throws Exception {
        try (EmbeddedLog log = EmbeddedLog.open(dir)) {
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
}
