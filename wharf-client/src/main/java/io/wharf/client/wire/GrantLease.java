package io.wharf.client.wire;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A request for a shared lease.
 */
public final class GrantLease {
    private final @Nullable String ttl;

    public GrantLease(@Nullable String ttl) {
        this.ttl = ttl;
    }

    /** Its time to live (default 3s) */
    public Optional<String> ttl() {
        return Optional.ofNullable(ttl);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof GrantLease)) return false;
        GrantLease other = (GrantLease) o;
        return Objects.equals(ttl, other.ttl);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ttl);
    }

    @Override
    public String toString() {
        return "GrantLease[" + "ttl=" + ttl + "]";
    }
}
