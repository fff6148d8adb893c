package io.wharf.client.wire;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The registry revision a change took, or a read is current at.
 */
public final class Revision {
    private final long revision;

    public Revision(long revision) {
        this.revision = revision;
    }

    /** The revision. */
    public long revision() {
        return revision;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof Revision)) return false;
        Revision other = (Revision) o;
        return revision == other.revision;
    }

    @Override
    public int hashCode() {
        return Objects.hash(revision);
    }

    @Override
    public String toString() {
        return "Revision[" + "revision=" + revision + "]";
    }
}
