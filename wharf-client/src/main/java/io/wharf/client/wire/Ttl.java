package io.wharf.client.wire;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a heartbeat of an endpoint answers: the time to live of its lease.
 */
public final class Ttl {
    private final String ttl;

    public Ttl(@Nullable String ttl) {
        this.ttl = ttl == null ? "" : ttl;
    }

    /** The lease's time to live, e.g. {@code 3s}. */
    public String ttl() {
        return ttl;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof Ttl)) return false;
        Ttl other = (Ttl) o;
        return Objects.equals(ttl, other.ttl);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ttl);
    }

    @Override
    public String toString() {
        return "Ttl[" + "ttl=" + ttl + "]";
    }
}
