package io.wharf.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.wharf.client.wire.Served;
import io.wharf.core.registry.ServiceKey;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class TrafficHistoryTest {
    private static final ServiceKey DEMO = new ServiceKey("default", "demo");
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    /** Counts of one endpoint: {@code fast} answers at 2 ms and {@code slow} at 200 ms, {@code failed} of all. */
    private static Served served(long fast, long slow, long failed) {
        Histogram h = new Histogram(3);
        if (fast > 0) h.recordValueWithCount(2_000, fast);
        if (slow > 0) h.recordValueWithCount(200_000, slow);
        ByteBuffer b = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(b);
        return new Served(fast + slow, failed, 0, Base64.getEncoder().encodeToString(Arrays.copyOf(b.array(), n)));
    }

    private static TrafficHistory.Report report(String lb, int second, Map<String, Served> served) {
        return new TrafficHistory.Report(lb, DEMO, T0.plusSeconds(second), served);
    }

    @Test
    void aPointIsWhatChangedBetweenTwoReportsOverTheirOwnInterval() {
        var history = new TrafficHistory();
        history.sample(List.of(report("h1", 0, Map.of("127.0.1.2:8080", served(1_000, 0, 0)))), T0);
        assertThat(history.points(DEMO))
                .as("a first report says nothing of this window")
                .isEmpty();

        // 4 s later: 392 more fast answers, 8 slow ones, 8 failures
        history.sample(List.of(report("h1", 4, Map.of("127.0.1.2:8080", served(1_392, 8, 8)))), T0.plusSeconds(5));

        var p = history.latest(DEMO).orElseThrow();
        assertThat(p.at()).isEqualTo(T0.plusSeconds(5));
        assertThat(p.requestsPerSecond()).isCloseTo(100, within(0.01));
        assertThat(p.errorRate()).isCloseTo(0.02, within(1e-9));
        assertThat(p.p50Millis()).hasValueSatisfying(v -> assertThat(v).isCloseTo(2, within(0.01)));
        assertThat(p.p99Millis()).hasValueSatisfying(v -> assertThat(v).isCloseTo(200, within(0.2)));
    }

    @Test
    void balancersAddUpAndAnEndpointWhoseCountsWentDownStartedAgain() {
        var history = new TrafficHistory();
        history.sample(
                List.of(
                        report("h1", 0, Map.of("a", served(500, 0, 0))),
                        report("h2", 0, Map.of("a", served(700, 0, 0)))),
                T0);
        history.sample(
                List.of(
                        report("h1", 5, Map.of("a", served(1_000, 0, 0), "b", served(50, 0, 0))),
                        report("h2", 5, Map.of("a", served(100, 0, 0)))), // h2 restarted: 100 since
                T0.plusSeconds(5));

        // h1: 500 + 50 (b is new) in 5 s; h2: 100 in 5 s
        assertThat(history.latest(DEMO).orElseThrow().requestsPerSecond()).isCloseTo(130, within(0.01));
    }

    @Test
    void noNewReportIsNoPointAndNoAnswersIsNoPercentile() {
        var history = new TrafficHistory();
        history.sample(List.of(report("h1", 0, Map.of("a", served(10, 0, 0)))), T0);
        history.sample(List.of(report("h1", 0, Map.of("a", served(10, 0, 0)))), T0.plusSeconds(5));
        assertThat(history.points(DEMO)).isEmpty();

        history.sample(List.of(report("h1", 5, Map.of("a", served(10, 0, 0)))), T0.plusSeconds(10));
        var idle = history.latest(DEMO).orElseThrow();
        assertThat(idle.requestsPerSecond()).isZero();
        assertThat(idle.errorRate()).isZero();
        assertThat(idle.p95Millis()).isEmpty();
    }

    @Test
    void keepsFifteenMinutesAndForgetsAServiceNoLongerReported() {
        var history = new TrafficHistory();
        int steps = (int) (TrafficHistory.WINDOW.toSeconds() / TrafficHistory.STEP.toSeconds());
        for (int i = 0; i <= steps + 20; i++) {
            int second = i * 5;
            history.sample(List.of(report("h1", second, Map.of("a", served(i, 0, 0)))), T0.plusSeconds(second));
        }
        List<TrafficHistory.Point> points = history.points(DEMO);
        assertThat(points).hasSize(steps);
        assertThat(points.getLast().at()).isEqualTo(T0.plusSeconds((steps + 20) * 5L));

        history.sample(
                List.of(),
                T0.plusSeconds((steps + 20) * 5L).plus(TrafficHistory.WINDOW).plusSeconds(1));
        assertThat(history.points(DEMO)).isEmpty();
    }
}
