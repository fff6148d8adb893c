package io.wharf.client.wire;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A lease that endpoints live on.
 */
public final class LeaseInfo {
    private final String id;
    private final String ttl;
    private final int endpoints;

    public LeaseInfo(@Nullable String id, @Nullable String ttl, int endpoints) {
        this.id = id == null ? "" : id;
        this.ttl = ttl == null ? "" : ttl;
        this.endpoints = endpoints;
    }

    /** Its id. */
    public String id() {
        return id;
    }

    /** Its time to live. */
    public String ttl() {
        return ttl;
    }

    /** How many endpoints live on it. */
    public int endpoints() {
        return endpoints;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof LeaseInfo)) return false;
        LeaseInfo other = (LeaseInfo) o;
        return Objects.equals(id, other.id) && Objects.equals(ttl, other.ttl) && endpoints == other.endpoints;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, ttl, endpoints);
    }

    @Override
    public String toString() {
        return "LeaseInfo[" + "id=" + id + ", ttl=" + ttl + ", endpoints=" + endpoints + "]";
    }
}
