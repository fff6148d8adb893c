package io.wharf.client.wire;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A watch event: the watcher fell behind or was replaced and must start again from a snapshot.
 */
public final class Resync {
    private final String reason;

    public Resync(@Nullable String reason) {
        this.reason = reason == null ? "" : reason;
    }

    /** Why. */
    public String reason() {
        return reason;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof Resync)) return false;
        Resync other = (Resync) o;
        return Objects.equals(reason, other.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(reason);
    }

    @Override
    public String toString() {
        return "Resync[" + "reason=" + reason + "]";
    }
}
