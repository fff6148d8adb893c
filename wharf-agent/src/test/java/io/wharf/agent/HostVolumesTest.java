package io.wharf.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.wharf.client.wire.VolumeReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostVolumesTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("002.1 volumes are made once, reported with their sizes, and deleted only by name")
    void madeReportedDeleted() throws Exception {
        HostVolumes volumes = new HostVolumes(dir.resolve("volumes"));
        Path data = volumes.ensure("default.redis.2", "data");
        Files.write(data.resolve("appendonly.aof"), new byte[5000]);
        assertThat(volumes.ensure("default.redis.2", "data")).isEqualTo(data);
        assertThat(data.resolve("appendonly.aof")).exists();
        volumes.ensure("team.db-main.0", "wal");
        Files.createDirectories(dir.resolve("volumes/not-a-volume"));

        // sizes are measured in the background: 0 until then
        await().atMost(Duration.ofSeconds(10))
                .until(() -> volumes.report().contains(new VolumeReport("default", "redis", 2, "data", 5000)));
        assertThat(volumes.report())
                .containsExactly(
                        new VolumeReport("default", "redis", 2, "data", 5000),
                        new VolumeReport("team", "db-main", 0, "wal", 0));

        assertThatThrownBy(() -> volumes.delete("../volumes")).isInstanceOf(IOException.class);
        volumes.delete("default.redis.2");
        assertThat(dir.resolve("volumes/default.redis.2")).doesNotExist();
        assertThat(volumes.report()).extracting(VolumeReport::service).containsExactly("db-main");
    }
}
