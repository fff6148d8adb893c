package io.wharf.client.wire;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How many containers of a scale-out task are in each state.
 */
public final class ScaleOutContainerCounts {
    private final int total;
    private final int pending;
    private final int placed;
    private final int serving;
    private final int failed;

    public ScaleOutContainerCounts(int total, int pending, int placed, int serving, int failed) {
        this.total = total;
        this.pending = pending;
        this.placed = placed;
        this.serving = serving;
        this.failed = failed;
    }

    /** All of them. */
    public int total() {
        return total;
    }

    /** Written down. */
    public int pending() {
        return pending;
    }

    /** Placed, starting. */
    public int placed() {
        return placed;
    }

    /** Serving. */
    public int serving() {
        return serving;
    }

    /** Failed. */
    public int failed() {
        return failed;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof ScaleOutContainerCounts)) return false;
        ScaleOutContainerCounts other = (ScaleOutContainerCounts) o;
        return total == other.total
                && pending == other.pending
                && placed == other.placed
                && serving == other.serving
                && failed == other.failed;
    }

    @Override
    public int hashCode() {
        return Objects.hash(total, pending, placed, serving, failed);
    }

    @Override
    public String toString() {
        return "ScaleOutContainerCounts[" + "total=" + total + ", pending=" + pending + ", placed=" + placed
                + ", serving=" + serving + ", failed=" + failed + "]";
    }
}
