package io.wharf.intake.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The intake log in the Redis server of this machine (127.0.0.1:6379), each test under keys of its own. */
public class RedisLogIT extends IntakeLogContract {
    public static final String REDIS = "redis://127.0.0.1:6379";
    final String prefix = "wharf-test-" + UUID.randomUUID();

    @Override
    IntakeLog open() throws Exception {
        return RedisLog.open(REDIS, prefix);
    }

    @AfterEach
    void dropKeys() {
        dropKeys(prefix);
    }

    /** Deletes the keys a test made under {@code prefix}. */
    public static void dropKeys(String prefix) {
        RedisClient client = RedisClient.create(REDIS);
        try (var c = client.connect()) {
            List<String> keys = c.sync().keys(prefix + ":*");
            if (!keys.isEmpty()) c.sync().del(keys.toArray(String[]::new));
        } finally {
            client.shutdown();
        }
    }

    @Test
    @DisplayName("002.3 a second writer of one partition is refused by Redis, not interleaved: offsets only grow")
    void oneWriterPerPartition() throws Exception {
        try (IntakeLog first = open();
                IntakeLog second = open()) {
            first.append("in-x", bytes("a")).get(10, TimeUnit.SECONDS);
            second.append("in-x", bytes("b")).get(10, TimeUnit.SECONDS); // numbered after what it saw
            ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    ExecutionException.class,
                    () -> first.append("in-x", bytes("c")).get(10, TimeUnit.SECONDS));
            assertThat(refused.getCause().getMessage()).contains("equal or smaller");
            assertThat(texts(first.read("in-x", 0, 10, java.time.Duration.ZERO)))
                    .containsExactly("a", "b");
        }
    }

    @Test
    @DisplayName("002.3 with no Redis to talk to, opening says where it looked")
    void unreachable() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(
                java.io.IOException.class, () -> RedisLog.open("redis://127.0.0.1:1", prefix));
        assertThat(e.getMessage()).contains("127.0.0.1:1");
    }
}
