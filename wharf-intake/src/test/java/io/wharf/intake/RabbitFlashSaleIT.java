package io.wharf.intake;

import io.wharf.intake.log.IntakeLog;
import io.wharf.intake.log.RabbitLog;
import io.wharf.intake.log.RabbitLogIT;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;

/** The flash sale with its log in RabbitMQ streams, on the RabbitMQ broker of this machine. */
class RabbitFlashSaleIT extends FlashSaleTest {
    final String prefix = "wharf-test-" + UUID.randomUUID();

    @Override
    IntakeLog open() throws Exception {
        return RabbitLog.open(RabbitLogIT.RABBITMQ, prefix);
    }

    @AfterEach
    void dropStreams() throws Exception {
        close(); // the sale first, so that nothing writes the log after it is dropped
        RabbitLogIT.dropStreams(RabbitLogIT.RABBITMQ, prefix, List.of("sequencer.shop", "dispatcher.shop"));
    }
}
