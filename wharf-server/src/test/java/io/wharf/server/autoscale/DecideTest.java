package io.wharf.server.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.spec.AutoscaleSpec;
import io.wharf.server.autoscale.Decide.Decision;
import io.wharf.server.autoscale.Decide.Direction;
import io.wharf.server.autoscale.Decide.Memory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DecideTest {
    static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");
    static final AutoscaleSpec SPEC = new AutoscaleSpec(
            2,
            10,
            OptionalDouble.of(50),
            OptionalDouble.empty(),
            Optional.of(Duration.ofMillis(100)),
            OptionalDouble.empty(),
            Duration.ofSeconds(60),
            1);

    static Reading cpu(double percent) {
        return new Reading(Metric.CPU, percent, 50, true);
    }

    static Reading latency(double millis) {
        return new Reading(Metric.LATENCY, millis, 100, true);
    }

    static Decision decide(int current, int ready, List<Reading> readings, Memory memory, Instant now) {
        return Decide.decide(SPEC, current, ready, readings, Optional.empty(), memory, now);
    }

    @Test
    @DisplayName("over a target twice in a row: up to ceil(ready × value / target), the largest over the metrics")
    void scalesOutOnTheSecondEvaluation() {
        Decision first = decide(2, 2, List.of(cpu(90), latency(120)), Memory.FRESH, T0);
        // (twice the target or more acts at once, see stepOfLoad)
        assertThat(first.direction()).isEqualTo(Direction.STAY);
        assertThat(first.reason()).contains("acting if it stays");
        Decision second = decide(2, 2, List.of(cpu(90), latency(120)), first.memory(), T0.plusSeconds(1));
        assertThat(second.direction()).isEqualTo(Direction.UP);
        assertThat(second.desired()).isEqualTo(4); // cpu: ceil(2 × 90/50) = 4; latency: ceil(2 × 1.2) = 3
        assertThat(second.reason()).startsWith("cpu 90.0% of 50.0%");
        // one evaluation over, then back under: nothing
        Decision calm = decide(2, 2, List.of(cpu(50)), first.memory(), T0.plusSeconds(1));
        assertThat(calm.direction()).isEqualTo(Direction.STAY);
        assertThat(calm.memory().over()).isZero();
    }

    @Test
    @DisplayName("a metric twice its target or more is a step of load, not noise: acted on at the first evaluation")
    void stepOfLoad() {
        Decision d = decide(2, 2, List.of(cpu(100)), Memory.FRESH, T0);
        assertThat(d.direction()).isEqualTo(Direction.UP);
        assertThat(d.desired()).isEqualTo(4);
    }

    @Test
    @DisplayName("within 10 % of the target nothing moves; at max it says so; new containers still starting count")
    void toleranceMaxAndStarting() {
        assertThat(decide(4, 4, List.of(cpu(54)), Memory.FRESH, T0).direction()).isEqualTo(Direction.STAY);
        assertThat(decide(4, 4, List.of(cpu(46)), Memory.FRESH, T0).direction()).isEqualTo(Direction.STAY);
        Decision atMax = decide(10, 10, List.of(cpu(99)), new Memory(1, Optional.empty()), T0);
        assertThat(atMax.direction()).isEqualTo(Direction.STAY);
        assertThat(atMax.reason()).contains("at max 10");
        Decision burst = decide(3, 3, List.of(cpu(500)), new Memory(1, Optional.empty()), T0);
        assertThat(burst.desired()).isEqualTo(10);
        // 4 placed, 2 of them serving: the load of 2 asks for 3, fewer than are coming
        assertThat(decide(4, 2, List.of(cpu(70)), new Memory(1, Optional.empty()), T0)
                        .direction())
                .isEqualTo(Direction.STAY);
    }

    @Test
    @DisplayName("scale-in only after every metric stayed low for scaleIn.after, one step at a time, never below min")
    void scalesInSlowly() {
        Decision start = decide(5, 5, List.of(cpu(10), latency(20)), Memory.FRESH, T0);
        assertThat(start.direction()).isEqualTo(Direction.STAY);
        assertThat(start.memory().lowSince()).contains(T0);
        Decision waiting = decide(5, 5, List.of(cpu(10), latency(20)), start.memory(), T0.plusSeconds(59));
        assertThat(waiting.direction()).isEqualTo(Direction.STAY);
        assertThat(waiting.reason()).contains("low for 59 s of 60 s");
        Decision down = decide(5, 5, List.of(cpu(10), latency(20)), waiting.memory(), T0.plusSeconds(60));
        assertThat(down.direction()).isEqualTo(Direction.DOWN);
        assertThat(down.desired()).isEqualTo(4);
        // the next step waits another scaleIn.after
        assertThat(decide(4, 4, List.of(cpu(10)), down.memory(), T0.plusSeconds(61))
                        .direction())
                .isEqualTo(Direction.STAY);
        // one metric not low resets the wait
        Decision busy = decide(5, 5, List.of(cpu(10), latency(95)), waiting.memory(), T0.plusSeconds(60));
        assertThat(busy.direction()).isEqualTo(Direction.STAY);
        assertThat(busy.memory().lowSince()).isEmpty();
        // at min: stays
        assertThat(decide(2, 2, List.of(cpu(1)), new Memory(0, Optional.of(T0)), T0.plusSeconds(600))
                        .direction())
                .isEqualTo(Direction.STAY);
    }

    @Test
    @DisplayName("missing reports never shrink a service; a hold stops everything; bounds are restored at once")
    void missingDataHoldAndBounds() {
        Reading partial = new Reading(Metric.CPU, 5, 50, false);
        Decision d = decide(5, 5, List.of(partial), new Memory(0, Optional.of(T0)), T0.plusSeconds(600));
        assertThat(d.direction()).isEqualTo(Direction.STAY);
        assertThat(d.reason()).contains("no scale-in on missing data");
        Decision held = Decide.decide(
                SPEC, 2, 2, List.of(cpu(99)), Optional.of("release rel-1 runs"), new Memory(1, Optional.empty()), T0);
        assertThat(held.direction()).isEqualTo(Direction.STAY);
        assertThat(held.reason()).isEqualTo("holding: release rel-1 runs");
        assertThat(decide(1, 1, List.of(), Memory.FRESH, T0).desired()).isEqualTo(2);
        assertThat(decide(12, 12, List.of(), Memory.FRESH, T0))
                .extracting(Decision::direction, Decision::desired)
                .containsExactly(Direction.DOWN, 10);
        assertThat(decide(3, 0, List.of(), Memory.FRESH, T0).reason()).isEqualTo("no container serving yet");
    }
}
