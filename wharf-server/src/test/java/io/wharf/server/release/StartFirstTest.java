package io.wharf.server.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.release.Release.Counts;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StartFirstTest {
    private static Release.Endpoint endpoint() {
        Release.Endpoint e = new Release.Endpoint();
        e.endpoint = "127.0.0.2_8080";
        e.replacementEndpoint = "127.0.0.4_8080";
        return e;
    }

    @Test
    void countsOnlyWhatTheWindowAdded() {
        var from = Map.of(
                "a 127.0.0.4_8080", new Counts(10, 0, 10_000),
                "a 127.0.0.3_8080", new Counts(100, 1, 100_000),
                "a 127.0.0.2_8080", new Counts(500, 0, 900_000));
        var to = Map.of(
                "a 127.0.0.4_8080", new Counts(110, 2, 210_000),
                "b 127.0.0.4_8080", new Counts(50, 0, 50_000),
                "a 127.0.0.3_8080", new Counts(300, 1, 300_000),
                "a 127.0.0.2_8080", new Counts(900, 0, 9_900_000));
        StartFirst.Watch w = StartFirst.watch(endpoint(), from, to);
        // the new endpoint: 100 + 50 requests (b's load balancer is new in the window), 2 failed
        assertThat(w.requests()).isEqualTo(150);
        assertThat(w.failures()).isEqualTo(2);
        assertThat(w.meanMicros()).isEqualTo(250_000 / 148);
        // the others, without the endpoint being replaced
        assertThat(w.otherRequests()).isEqualTo(200);
        assertThat(w.otherMeanMicros()).isEqualTo(1000);
    }

    @Test
    void countsThatStartedAgainAreTakenWhole() {
        var from = Map.of("a 127.0.0.4_8080", new Counts(1000, 0, 1_000_000));
        var to = Map.of("a 127.0.0.4_8080", new Counts(30, 0, 30_000));
        assertThat(StartFirst.watch(endpoint(), from, to).requests()).isEqualTo(30);
    }

    @Test
    void errorRateAboveTheLimitIsAProblem() {
        var w = new StartFirst.Watch(200, 3, 1000, 400, 1000);
        assertThat(w.problem(0.01, 2)).hasValue("failed 3 of 200 requests (1.5 %, allowed 1.0 %)");
        assertThat(w.problem(0.02, 2)).isEmpty();
    }

    @Test
    void latencyCountsOnlyAboveTheRatioAndTheSlack() {
        // 3× slower, but 2 ms: under the 10 ms that never count
        assertThat(new StartFirst.Watch(100, 0, 3_000, 100, 1_000).problem(0.01, 2))
                .isEmpty();
        // 200 ms against 1 ms
        assertThat(new StartFirst.Watch(100, 0, 200_000, 100, 1_000).problem(0.01, 2))
                .hasValue("answered in 200.0 ms on average, the other endpoints in 1.0 ms (allowed 2.0×)");
        // 1.5× of 100 ms: within the ratio
        assertThat(new StartFirst.Watch(100, 0, 150_000, 100, 100_000).problem(0.01, 2))
                .isEmpty();
        // nothing to compare with
        assertThat(new StartFirst.Watch(100, 0, 200_000, 0, 0).problem(0.01, 2)).isEmpty();
    }

    @Test
    void summarySaysWhatWasSeen() {
        assertThat(new StartFirst.Watch(0, 0, 0, 10, 1000).summary()).isEqualTo("no requests reached the new endpoint");
        assertThat(new StartFirst.Watch(120, 1, 1500, 0, 0).summary())
                .isEqualTo("120 requests, 1 failed, mean 1.5 ms (other endpoints idle)");
    }
}
