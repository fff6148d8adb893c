package io.wharf.intake;

import io.wharf.intake.log.IntakeLog;
import io.wharf.intake.log.RedisLog;
import io.wharf.intake.log.RedisLogIT;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;

/** The flash sale with its log in Redis Streams, on the Redis server of this machine. */
class RedisFlashSaleIT extends FlashSaleTest {
    final String prefix = "wharf-test-" + UUID.randomUUID();

    @Override
    IntakeLog open() throws Exception {
        return RedisLog.open(RedisLogIT.REDIS, prefix);
    }

    @AfterEach
    void dropKeys() throws Exception {
        close(); // the sale first, so that nothing writes the log after it is dropped
        RedisLogIT.dropKeys(prefix);
    }
}
