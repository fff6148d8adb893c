package io.wharf.client.wire;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One decision of the autoscaler.
 */
public final class AutoscaleDecisionInfo {
    private final Instant at;
    private final int from;
    private final int to;
    private final String reason;
    private final String readings;

    public AutoscaleDecisionInfo(Instant at, int from, int to, @Nullable String reason, @Nullable String readings) {
        this.at = Objects.requireNonNull(at, "at");
        this.from = from;
        this.to = to;
        this.reason = reason == null ? "" : reason;
        this.readings = readings == null ? "" : readings;
    }

    /** When. */
    public Instant at() {
        return at;
    }

    /** The count before. */
    public int from() {
        return from;
    }

    /** The count asked for. */
    public int to() {
        return to;
    }

    /** Why. */
    public String reason() {
        return reason;
    }

    /** Each metric's value and target then. */
    public String readings() {
        return readings;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof AutoscaleDecisionInfo)) return false;
        AutoscaleDecisionInfo other = (AutoscaleDecisionInfo) o;
        return Objects.equals(at, other.at)
                && from == other.from
                && to == other.to
                && Objects.equals(reason, other.reason)
                && Objects.equals(readings, other.readings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(at, from, to, reason, readings);
    }

    @Override
    public String toString() {
        return "AutoscaleDecisionInfo[" + "at=" + at + ", from=" + from + ", to=" + to + ", reason=" + reason
                + ", readings=" + readings + "]";
    }
}
