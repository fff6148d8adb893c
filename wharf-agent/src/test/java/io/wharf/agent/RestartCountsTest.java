package io.wharf.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestartCountsTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("restart counts outlive the agent, per container and image; a removed container is forgotten")
    void countsOutliveTheAgent() {
        RestartCounts counts = new RestartCounts(dir);
        counts.put("default.web.0", "demo:v1", 3);
        counts.put("default.web.1", "demo:v1", 1);
        RestartCounts next = new RestartCounts(dir);
        assertThat(next.get("default.web.0", "demo:v1")).isEqualTo(3);
        assertThat(next.get("default.web.0", "demo:v2"))
                .as("counted for another image")
                .isZero();
        next.remove("default.web.1");
        assertThat(new RestartCounts(dir).get("default.web.1", "demo:v1")).isZero();
        assertThat(new RestartCounts(dir).get("default.web.0", "demo:v1")).isEqualTo(3);
    }
}
