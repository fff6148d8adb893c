package io.wharf.intake;

import io.wharf.intake.log.IntakeLog;
import io.wharf.intake.log.RabbitLog;
import io.wharf.intake.log.RabbitLogIT;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;

/** The pipeline's tests with its log in RabbitMQ streams, on the RabbitMQ broker of this machine. */
class RabbitPipelineIT extends IntakePipelineTest {
    final String prefix = "wharf-test-" + UUID.randomUUID();

    @Override
    IntakeLog open() throws Exception {
        return RabbitLog.open(RabbitLogIT.RABBITMQ, prefix);
    }

    @AfterEach
    void dropStreams() throws Exception {
        RabbitLogIT.dropStreams(RabbitLogIT.RABBITMQ, prefix, List.of("sequencer." + SERVICE, "dispatcher." + SERVICE));
    }
}
