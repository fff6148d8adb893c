package io.wharf.intake;

import io.wharf.intake.log.IntakeLog;
import io.wharf.intake.log.RedisLog;
import io.wharf.intake.log.RedisLogIT;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;

/** The pipeline's tests with its log in Redis Streams, on the Redis server of this machine. */
class RedisPipelineIT extends IntakePipelineTest {
    final String prefix = "wharf-test-" + UUID.randomUUID();

    @Override
    IntakeLog open() throws Exception {
        return RedisLog.open(RedisLogIT.REDIS, prefix);
    }

    @AfterEach
    void dropKeys() {
        RedisLogIT.dropKeys(prefix);
    }
}
