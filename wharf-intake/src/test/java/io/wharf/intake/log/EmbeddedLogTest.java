package io.wharf.intake.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedLogTest extends IntakeLogContract {
    @TempDir
    Path dir;

    @Override
    IntakeLog open() throws Exception {
        return EmbeddedLog.open(dir);
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
