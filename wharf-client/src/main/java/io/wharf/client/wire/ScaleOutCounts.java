package io.wharf.client.wire;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How many services of a scale-out task are in each state.
 */
public final class ScaleOutCounts {
    private final int total;
    private final int pending;
    private final int creating;
    private final int done;
    private final int skipped;

    public ScaleOutCounts(int total, int pending, int creating, int done, int skipped) {
        this.total = total;
        this.pending = pending;
        this.creating = creating;
        this.done = done;
        this.skipped = skipped;
    }

    /** All of them. */
    public int total() {
        return total;
    }

    /** Not visited yet. */
    public int pending() {
        return pending;
    }

    /** Being created. */
    public int creating() {
        return creating;
    }

    /** Done. */
    public int done() {
        return done;
    }

    /** Skipped. */
    public int skipped() {
        return skipped;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof ScaleOutCounts)) return false;
        ScaleOutCounts other = (ScaleOutCounts) o;
        return total == other.total
                && pending == other.pending
                && creating == other.creating
                && done == other.done
                && skipped == other.skipped;
    }

    @Override
    public int hashCode() {
        return Objects.hash(total, pending, creating, done, skipped);
    }

    @Override
    public String toString() {
        return "ScaleOutCounts[" + "total=" + total + ", pending=" + pending + ", creating=" + creating + ", done="
                + done + ", skipped=" + skipped + "]";
    }
}
