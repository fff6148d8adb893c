package io.wharf.client.wire;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One metric of an autoscaled service now: its value and its target (claims 002.7, 004.7).
 */
public final class AutoscaleReading {
    private final String metric;
    private final double value;
    private final double target;
    private final String unit;
    private final boolean complete;

    public AutoscaleReading(
            @Nullable String metric, double value, double target, @Nullable String unit, boolean complete) {
        this.metric = metric == null ? "" : metric;
        this.value = value;
        this.target = target;
        this.unit = unit == null ? "" : unit;
        this.complete = complete;
    }

    /** Cpu, memory, latency or requestsPerSecond. */
    public String metric() {
        return metric;
    }

    /** Its value now. */
    public double value() {
        return value;
    }

    /** The spec's target. */
    public double target() {
        return target;
    }

    /** %, ms or /s. */
    public String unit() {
        return unit;
    }

    /** Whether every container reported lately; a scale-in needs this. */
    public boolean complete() {
        return complete;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof AutoscaleReading)) return false;
        AutoscaleReading other = (AutoscaleReading) o;
        return Objects.equals(metric, other.metric)
                && Double.compare(value, other.value) == 0
                && Double.compare(target, other.target) == 0
                && Objects.equals(unit, other.unit)
                && complete == other.complete;
    }

    @Override
    public int hashCode() {
        return Objects.hash(metric, value, target, unit, complete);
    }

    @Override
    public String toString() {
        return "AutoscaleReading[" + "metric=" + metric + ", value=" + value + ", target=" + target + ", unit=" + unit
                + ", complete=" + complete + "]";
    }
}
