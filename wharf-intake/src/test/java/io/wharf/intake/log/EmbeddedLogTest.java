package io.wharf.intake.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedLogTest extends IntakeLogContract {
    @TempDir
    Path dir;

    /** Small segments, so that every test of the contract reads and writes across them. */
    static final long SEGMENT = 4096;

    @Override
    IntakeLog open() throws Exception {
        return EmbeddedLog.open(dir, SEGMENT);
    }

    private long files(String partition) throws Exception {
        try (var all = Files.list(dir)) {
            return all.filter(f -> f.getFileName().toString().matches(Pattern.quote(partition) + "(@\\d{20})?\\.log"))
                    .count();
        }
    }

    @Test
    @DisplayName("002.3 a partition is a run of segment files: trimming deletes those below the offset, a reopen finds"
            + " the rest, and a torn record at the end of the last one is cut")
    void segments() throws Exception {
        try (EmbeddedLog log = EmbeddedLog.open(dir, SEGMENT)) {
            for (int i = 0; i < 100; i++) log.append("in.s-1", bytes(padded(i))).get(10, TimeUnit.SECONDS);
            long made = files("in.s-1");
            // about 210 bytes each, 4 KiB a segment
            assertThat(made).isBetween(5L, 6L);
            log.trim("in.s-1", 70);
            assertThat(files("in.s-1")).isLessThan(made);
            assertThat(log.start("in.s-1")).isBetween(40L, 70L);
            // a partition whose name starts like another's is its own
            log.append("in.s", bytes("other")).get(10, TimeUnit.SECONDS);
        }
        // the last segment: the file names' offsets have 20 digits, so the greatest name is the last
        Path last;
        try (var all = Files.list(dir)) {
            last = all.filter(f -> f.getFileName().toString().startsWith("in.s-1@"))
                    .max(Comparator.naturalOrder())
                    .orElseThrow();
        }
        try (FileChannel ch = FileChannel.open(last, StandardOpenOption.APPEND)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {0, 0, 0, 50, 1, 2, 3}));
        }
        try (EmbeddedLog log = EmbeddedLog.open(dir, SEGMENT)) {
            long start = log.start("in.s-1");
            assertThat(start).isBetween(40L, 70L);
            assertThat(log.end("in.s-1")).isEqualTo(100);
            List<IntakeLog.Record> kept = log.read("in.s-1", 0, 1000, Duration.ZERO);
            assertThat(kept.get(0).offset()).isEqualTo(start);
            assertThat(new String(kept.get(kept.size() - 1).bytes(), StandardCharsets.UTF_8))
                    .isEqualTo(padded(99));
            assertThat(log.append("in.s-1", bytes(padded(100))).get(10, TimeUnit.SECONDS))
                    .isEqualTo(100);
            assertThat(texts(log.read("in.s", 0, 10, Duration.ZERO))).containsExactly("other");
            assertThat(log.partitions()).contains("in.s-1", "in.s");
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
}
