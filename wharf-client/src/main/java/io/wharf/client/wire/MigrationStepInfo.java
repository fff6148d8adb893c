package io.wharf.client.wire;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** One step of a migration: when it began and what it found. */
public final class MigrationStepInfo {
    private final String step;
    private final @Nullable Instant startedAt;
    private final String note;

    public MigrationStepInfo(@Nullable String step, @Nullable Instant startedAt, @Nullable String note) {
        this.step = step == null ? "" : step;
        this.startedAt = startedAt;
        this.note = note == null ? "" : note;
    }

    /** Its name, e.g. {@code providers-attach}. */
    public String step() {
        return step;
    }

    public @Nullable Instant startedAt() {
        return startedAt;
    }

    /** What it found or waits for. */
    public String note() {
        return note;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof MigrationStepInfo)) return false;
        MigrationStepInfo other = (MigrationStepInfo) o;
        return step.equals(other.step) && Objects.equals(startedAt, other.startedAt) && note.equals(other.note);
    }

    @Override
    public int hashCode() {
        return Objects.hash(step, startedAt, note);
    }

    @Override
    public String toString() {
        return "MigrationStepInfo[step=" + step + ", startedAt=" + startedAt + ", note=" + note + "]";
    }
}
