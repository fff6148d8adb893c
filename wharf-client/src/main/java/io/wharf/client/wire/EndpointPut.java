package io.wharf.client.wire;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A watch event: an endpoint was registered or changed.
 */
public final class EndpointPut {
    private final long revision;
    private final EndpointInfo endpoint;

    public EndpointPut(long revision, EndpointInfo endpoint) {
        this.revision = revision;
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    }

    /** The revision of the change. */
    public long revision() {
        return revision;
    }

    /** The endpoint as it is now. */
    public EndpointInfo endpoint() {
        return endpoint;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof EndpointPut)) return false;
        EndpointPut other = (EndpointPut) o;
        return revision == other.revision && Objects.equals(endpoint, other.endpoint);
    }

    @Override
    public int hashCode() {
        return Objects.hash(revision, endpoint);
    }

    @Override
    public String toString() {
        return "EndpointPut[" + "revision=" + revision + ", endpoint=" + endpoint + "]";
    }
}
