package io.wharf.server.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WatchTest {
    private static String histogram(long micros, long n, long slowMicros, long slow) {
        Histogram h = new Histogram(2);
        if (n > 0) h.recordValueWithCount(micros, n);
        if (slow > 0) h.recordValueWithCount(slowMicros, slow);
        ByteBuffer b = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int len = h.encodeIntoCompressedByteBuffer(b);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(b.array(), len));
    }

    @Test
    @DisplayName(
            "with 50 answers or more a side is judged by its p90; below, by its median; one slow outlier moves neither")
    void robustStatistic() {
        var many = Watch.seen(
                Map.of(),
                Map.of(
                        "a new", new Sample(100, 0, 0, histogram(5_000, 95, 900_000, 5)),
                        "a old2", new Sample(100, 0, 0, histogram(5_000, 100, 0, 0))),
                "old1",
                "new");
        assertThat(many.statistics()).extracting(Watch.Statistic::name).containsExactly("median", "p90");
        assertThat(many.problem(0.01, 2)).isEmpty();
        var few = Watch.seen(
                Map.of(),
                Map.of(
                        "a new", new Sample(20, 0, 0, histogram(5_000, 19, 900_000, 1)),
                        "a old2", new Sample(20, 0, 0, histogram(5_000, 20, 0, 0))),
                "old1",
                "new");
        assertThat(few.statistics()).extracting(Watch.Statistic::name).containsExactly("median");
        assertThat(few.problem(0.01, 2)).isEmpty();
    }

    @Test
    @DisplayName("load balancers that send no histograms are judged by the mean, and the summary says so")
    void meanWithoutHistograms() {
        var seen = Watch.seen(
                Map.of(),
                Map.of("a new", new Sample(10, 0, 500_000, ""), "a x", new Sample(10, 0, 50_000, "")),
                "o",
                "new");
        assertThat(seen.statistics()).extracting(Watch.Statistic::name).containsExactly("mean");
        assertThat(seen.summary()).isEqualTo("10 requests, 0 failed, mean 50.0 ms (other endpoints 5.0 ms)");
        assertThat(seen.problem(0.01, 2)).hasValueSatisfying(p -> assertThat(p).contains("(mean)"));
    }

    @Test
    @DisplayName("a slow tail alone, as a cold or busy instance has, does not fail a new endpoint; a slowdown all"
            + " through does")
    void slowTailAloneIsNotASlowdown() {
        var tail = Watch.seen(
                Map.of(),
                Map.of(
                        "a new", new Sample(100, 0, 0, histogram(6_000, 85, 25_000, 15)),
                        "a old2", new Sample(100, 0, 0, histogram(5_000, 85, 10_000, 15))),
                "old1",
                "new");
        assertThat(tail.problem(0.01, 2)).isEmpty();
        var slow = Watch.seen(
                Map.of(),
                Map.of(
                        "a new", new Sample(100, 0, 0, histogram(50_000, 85, 60_000, 15)),
                        "a old2", new Sample(100, 0, 0, histogram(5_000, 85, 10_000, 15))),
                "old1",
                "new");
        assertThat(slow.problem(0.01, 2)).hasValueSatisfying(p -> assertThat(p)
                .matches("answered in 50\\.\\d ms \\(median\\), 60\\.\\d ms \\(p90\\), the other endpoints in"
                        + " 5\\.0 ms, 10\\.0 ms \\(allowed 2\\.0×\\)"));
    }

    @Test
    @DisplayName("only what was served between the two samples counts; failures over the rate fail the endpoint")
    void windowAndFailures() {
        var seen = Watch.seen(
                Map.of("a new", new Sample(50, 0, 0, histogram(400_000, 50, 0, 0))),
                Map.of("a new", new Sample(150, 5, 0, histogram(400_000, 50, 5_000, 95))),
                "o",
                "new");
        assertThat(seen.fresh().requests()).isEqualTo(100);
        assertThat(seen.fresh().latency().orElseThrow().getValueAtPercentile(90))
                .isBetween(4_900L, 5_100L);
        assertThat(seen.problem(0.01, 2)).hasValue("failed 5 of 100 requests (5.0 %, allowed 1.0 %)");
    }
}
