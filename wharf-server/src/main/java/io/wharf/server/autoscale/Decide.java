package io.wharf.server.autoscale;

import io.wharf.core.spec.AutoscaleSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How many containers an autoscaled service should run, from its readings: the rule of Kubernetes' horizontal
 * autoscaler — for each metric {@code ceil(ready × value / target)}, the largest over the metrics, within
 * {@code min..max}, no change for a metric within {@value #TOLERANCE} of its target — with a faster
 * trigger and a slower, drained way down. Pure: the controller keeps the {@link Memory} between evaluations.
 *
 * <ul>
 *   <li>Up: two evaluations in a row over a target are enough; one, when a metric is twice its target or more
 *       (a step of load, not noise).
 *   <li>Down: only after every metric has stayed under its target, less the tolerance, for {@code
 *       scaleIn.after}, by at most {@code scaleIn.step}; never while a container has not reported lately.
 *   <li>Outside {@code min..max} (the spec changed): back inside at once.
 * </ul>
 */
public final class Decide {
    /** How far from its target a metric may be without moving the count. */
    public static final double TOLERANCE = 0.1;
    /** A metric this far over its target (twice it) moves the count at the first evaluation that sees it. */
    public static final double AT_ONCE = 2.0;

    private Decide() {}

    /**
     * What the controller remembers of a service between evaluations.
     *
     * @param over evaluations in a row with a metric over its target
     * @param lowSince since when every metric has been under its target, if it has
     */
    public record Memory(int over, Optional<Instant> lowSince) {
        public static final Memory FRESH = new Memory(0, Optional.empty());
    }

    /** Which way a decision goes. */
    public enum Direction {
        UP,
        DOWN,
        STAY
    }

    /**
     * A decision.
     *
     * @param desired the count it asks for (the current one when it stays)
     * @param reason why, for people
     */
    public record Decision(Direction direction, int desired, String reason, Memory memory) {}

    /**
     * Decides the count of one service.
     *
     * @param current the containers it runs or is starting
     * @param ready those of them serving (running and passing their checks); crash-looping ones are not
     * @param readings one per metric of the spec; a metric with nothing measured lately has none
     * @param hold why the service may not be changed now (a release runs on it), if it may not
     */
    public static Decision decide(
            AutoscaleSpec spec,
            int current,
            int ready,
            List<Reading> readings,
            Optional<String> hold,
            Memory memory,
            Instant now) {
        if (hold.isPresent()) {
            return new Decision(Direction.STAY, current, "holding: " + hold.get(), Memory.FRESH);
        }
        if (current < spec.min()) {
            return new Decision(Direction.UP, spec.min(), "below min " + spec.min(), Memory.FRESH);
        }
        if (current > spec.max()) {
            return new Decision(Direction.DOWN, spec.max(), "above max " + spec.max(), Memory.FRESH);
        }
        if (ready == 0) {
            return new Decision(Direction.STAY, current, "no container serving yet", Memory.FRESH);
        }
        int up = 0;
        Reading hottest = null;
        boolean allLow = true;
        boolean complete = true;
        int down = spec.min();
        for (Reading r : readings) {
            double ratio = r.ratio();
            int want = (int) Math.ceil(ready * ratio - 1e-9);
            if (ratio > 1 + TOLERANCE) {
                if (want > up) {
                    up = want;
                    hottest = r;
                }
            }
            if (ratio >= 1 - TOLERANCE) allLow = false;
            complete &= r.complete();
            down = Math.max(down, want);
        }
        if (hottest != null) {
            int desired = spec.clamp(up);
            if (desired <= current) {
                return new Decision(
                        Direction.STAY,
                        current,
                        hottest
                                + (current == spec.max()
                                        ? ": at max " + spec.max()
                                        : ": the new containers will take it"),
                        new Memory(0, Optional.empty()));
            }
            int over = memory.over() + 1;
            if (over < 2 && hottest.ratio() < AT_ONCE) {
                return new Decision(
                        Direction.STAY,
                        current,
                        hottest + ": over its target, acting if it stays",
                        new Memory(over, Optional.empty()));
            }
            return new Decision(Direction.UP, desired, hottest.toString(), Memory.FRESH);
        }
        if (!allLow || current == spec.min()) {
            return new Decision(Direction.STAY, current, summary(readings, "near target"), Memory.FRESH);
        }
        if (!complete) {
            return new Decision(
                    Direction.STAY,
                    current,
                    "low, but not every container has reported lately: no scale-in on missing data",
                    Memory.FRESH);
        }
        int desired = Math.max(Math.max(down, spec.min()), current - spec.scaleInStep());
        if (desired >= current) {
            return new Decision(Direction.STAY, current, summary(readings, "low"), Memory.FRESH);
        }
        Instant since = memory.lowSince().orElse(now);
        Duration low = Duration.between(since, now);
        if (low.compareTo(spec.scaleInAfter()) < 0) {
            return new Decision(
                    Direction.STAY,
                    current,
                    summary(
                            readings,
                            "low for " + low.toSeconds() + " s of "
                                    + spec.scaleInAfter().toSeconds() + " s"),
                    new Memory(0, Optional.of(since)));
        }
        return new Decision(
                Direction.DOWN,
                desired,
                summary(readings, "low for " + low.toSeconds() + " s"),
                new Memory(0, Optional.of(now)));
    }

    private static String summary(List<Reading> readings, String how) {
        if (readings.isEmpty()) return how + " (nothing measured)";
        return how + ": "
                + String.join(", ", readings.stream().map(Reading::toString).toList());
    }
}
