package io.wharf.client.wire;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the server's health check answers.
 */
public final class Health {
    private final String status;
    private final long revision;

    public Health(@Nullable String status, long revision) {
        this.status = status == null ? "" : status;
        this.revision = revision;
    }

    /** {@code ok}. */
    public String status() {
        return status;
    }

    /** The registry's revision. */
    public long revision() {
        return revision;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof Health)) return false;
        Health other = (Health) o;
        return Objects.equals(status, other.status) && revision == other.revision;
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, revision);
    }

    @Override
    public String toString() {
        return "Health[" + "status=" + status + ", revision=" + revision + "]";
    }
}
