package io.wharf.intake.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The intake log in the RabbitMQ broker of this machine (127.0.0.1:5672), each test under streams of its own. */
public class RabbitLogIT extends IntakeLogContract {
    public static final String RABBITMQ = "amqp://guest:guest@127.0.0.1:5672";
    final String prefix = "wharf-test-" + UUID.randomUUID();

    @Override
    IntakeLog open() throws Exception {
        return RabbitLog.open(RABBITMQ, prefix);
    }

    @AfterEach
    void dropStreams() throws Exception {
        dropStreams(RABBITMQ, prefix, List.of("sequencer", "nobody"));
    }

    /**
     * Deletes what a test made under {@code prefix}: its partitions, the list of them, and the checkpoints of
     * {@code readers}.
     */
    public static void dropStreams(String uri, String prefix, List<String> readers) throws Exception {
        List<String> streams = new ArrayList<>();
        try (RabbitLog log = RabbitLog.open(uri, prefix)) {
            for (String p : log.partitions()) streams.add(prefix + ".p." + p);
        }
        streams.add(prefix + ".partitions");
        streams.add(prefix + ".p.in-r"); // the contract reads it, never writes it: made, not listed
        for (int round = 0; round < 20; round++) streams.add(prefix + ".p.in-new-" + round);
        for (String r : readers) streams.add(prefix + ".cp." + r);
        ConnectionFactory f = new ConnectionFactory();
        f.setUri(uri);
        try (var c = f.newConnection()) {
            for (String s : streams) {
                try (var ch = c.createChannel()) {
                    ch.queueDelete(s);
                }
            }
        }
    }

    @Test
    @DisplayName("002.3 a second writer of one partition is refused while the first holds it, and let in once it is"
            + " gone: offsets stay dense")
    void oneWriterPerPartition() throws Exception {
        try (IntakeLog second = open()) {
            try (IntakeLog first = open()) {
                assertThat(first.append("in-x", bytes("a")).get(10, TimeUnit.SECONDS))
                        .isZero();
                ExecutionException refused =
                        assertThrows(ExecutionException.class, () -> second.append("in-x", bytes("b"))
                                .get(10, TimeUnit.SECONDS));
                assertThat(refused.getCause().getMessage()).contains("written by another process");
            }
            assertThat(second.append("in-x", bytes("c")).get(10, TimeUnit.SECONDS))
                    .isEqualTo(1);
            assertThat(texts(second.read("in-x", 0, 10, Duration.ZERO))).containsExactly("a", "c");
        }
    }

    @Test
    @DisplayName("002.4 a writer that lets its partition go (a sequencer that no longer leads) lets the next in while"
            + " it lives on, and takes it again when it writes again")
    void releaseLetsTheNextIn() throws Exception {
        try (IntakeLog first = open();
                IntakeLog second = open()) {
            first.append("in-y", bytes("a")).get(10, TimeUnit.SECONDS);
            first.release("in-y");
            assertThat(second.append("in-y", bytes("b")).get(10, TimeUnit.SECONDS))
                    .isEqualTo(1);
            second.release("in-y");
            assertThat(first.append("in-y", bytes("c")).get(10, TimeUnit.SECONDS))
                    .isEqualTo(2);
            assertThat(texts(second.read("in-y", 0, 10, Duration.ZERO))).containsExactly("a", "b", "c");
        }
    }

    @Test
    @DisplayName("002.3 many threads making the same new partitions at once: RabbitMQ's connection survives (it is"
            + " closed by the broker if a stream is consumed from before it has started)")
    void concurrentFirstUse() throws Exception {
        try (IntakeLog log = open()) {
            for (int round = 0; round < 20; round++) {
                String p = "in-new-" + round;
                java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(4);
                List<Thread> readers = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    boolean end = t % 2 == 0;
                    readers.add(Thread.ofPlatform().start(() -> {
                        try {
                            together.await();
                            if (end) log.end(p);
                            else log.read(p, 0, 10, Duration.ofMillis(20));
                        } catch (Exception e) {
                            // seen below: the connection
                        }
                    }));
                }
                for (Thread r : readers) r.join();
            }
            assertThat(((RabbitLog) log).connectionsMade()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("002.4 a checkpoint stream keeps only its last segments, and its last checkpoint reads back, also"
            + " through a log whose retention differs from the one the stream was made with")
    void checkpointsKeepTheirLastSegments() throws Exception {
        try (RabbitLog log = RabbitLog.open(RABBITMQ, prefix, 8 << 10, 2 << 10)) {
            for (long i = 0; i < 500; i++) log.commit("sequencer", Map.of("in-a", i));
        }
        ConnectionFactory f = new ConnectionFactory();
        f.setUri(RABBITMQ);
        try (var c = f.newConnection();
                var ch = c.createChannel()) {
            ch.basicQos(1);
            BlockingQueue<Long> first = new LinkedBlockingQueue<>();
            ch.basicConsume(
                    prefix + ".cp.sequencer",
                    false,
                    Map.of("x-stream-offset", "first"),
                    (tag, m) -> {
                        first.add(((Number) m.getProperties().getHeaders().get("x-stream-offset")).longValue());
                    },
                    tag -> {});
            Long at = first.poll(10, TimeUnit.SECONDS);
            assertThat(at)
                    .as("the broker offset of the stream's first message")
                    .isNotNull()
                    .isGreaterThan(0L);
        }
        try (RabbitLog again = RabbitLog.open(RABBITMQ, prefix)) {
            assertThat(again.committed("sequencer")).containsExactlyEntriesOf(Map.of("in-a", 499L));
            again.commit("sequencer", Map.of("in-a", 500L));
            assertThat(again.committed("sequencer")).containsExactlyEntriesOf(Map.of("in-a", 500L));
        }
    }

    @Test
    @DisplayName("002.3 with no RabbitMQ to talk to, opening says where it looked; a bad address is named")
    void unreachable() {
        var e = assertThrows(IOException.class, () -> RabbitLog.open("amqp://127.0.0.1:1", prefix));
        assertThat(e.getMessage()).contains("127.0.0.1:1");
        var bad = assertThrows(IOException.class, () -> RabbitLog.open("amqp://u:secret@[", prefix));
        assertThat(bad.getMessage()).contains("not a RabbitMQ address").doesNotContain("secret");
    }
}
