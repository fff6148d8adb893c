package io.wharf.client.wire;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A watch event: an endpoint left the registry.
 */
public final class EndpointDeleted {
    private final long revision;
    private final String id;
    private final String reason;

    public EndpointDeleted(long revision, @Nullable String id, @Nullable String reason) {
        this.revision = revision;
        this.id = id == null ? "" : id;
        this.reason = reason == null ? "" : reason;
    }

    /** The revision of the change. */
    public long revision() {
        return revision;
    }

    /** The endpoint, {@code ip_port}. */
    public String id() {
        return id;
    }

    /** Why: deregistered, lease expired or lease revoked. */
    public String reason() {
        return reason;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof EndpointDeleted)) return false;
        EndpointDeleted other = (EndpointDeleted) o;
        return revision == other.revision && Objects.equals(id, other.id) && Objects.equals(reason, other.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(revision, id, reason);
    }

    @Override
    public String toString() {
        return "EndpointDeleted[" + "revision=" + revision + ", id=" + id + ", reason=" + reason + "]";
    }
}
