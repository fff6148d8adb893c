package io.wharf.client.wire;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A watcher's acknowledgement of the revision it has applied.
 */
public final class Acknowledge {
    private final @Nullable Long revision;

    public Acknowledge(@Nullable Long revision) {
        this.revision = revision;
    }

    /** The revision. */
    public Optional<Long> revision() {
        return Optional.ofNullable(revision);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof Acknowledge)) return false;
        Acknowledge other = (Acknowledge) o;
        return Objects.equals(revision, other.revision);
    }

    @Override
    public int hashCode() {
        return Objects.hash(revision);
    }

    @Override
    public String toString() {
        return "Acknowledge[" + "revision=" + revision + "]";
    }
}
