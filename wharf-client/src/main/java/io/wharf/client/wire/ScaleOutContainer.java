package io.wharf.client.wire;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One container a scale-out task creates (claims 000.3, 000.4).
 */
public final class ScaleOutContainer {
    private final String id;
    private final String namespace;
    private final String service;
    private final int ordinal;
    private final ScaleOutContainerStatus status;
    private final String reason;
    private final Instant createdAt;
    private final Instant updatedAt;
    private final long elapsedMillis;

    public ScaleOutContainer(
            @Nullable String id,
            @Nullable String namespace,
            @Nullable String service,
            int ordinal,
            ScaleOutContainerStatus status,
            @Nullable String reason,
            Instant createdAt,
            Instant updatedAt,
            long elapsedMillis) {
        this.id = id == null ? "" : id;
        this.namespace = namespace == null ? "" : namespace;
        this.service = service == null ? "" : service;
        this.ordinal = ordinal;
        this.status = Objects.requireNonNull(status, "status");
        this.reason = reason == null ? "" : reason;
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        this.updatedAt = Objects.requireNonNull(updatedAt, "updatedAt");
        this.elapsedMillis = elapsedMillis;
    }

    /** The container. */
    public String id() {
        return id;
    }

    /** Its namespace. */
    public String namespace() {
        return namespace;
    }

    /** Its service. */
    public String service() {
        return service;
    }

    /** Its number within the service. */
    public int ordinal() {
        return ordinal;
    }

    /** Where it stands. */
    public ScaleOutContainerStatus status() {
        return status;
    }

    /** Why it failed. */
    public String reason() {
        return reason;
    }

    /** When the row was written. */
    public Instant createdAt() {
        return createdAt;
    }

    /** When it last changed. */
    public Instant updatedAt() {
        return updatedAt;
    }

    /** From written to its last change. */
    public long elapsedMillis() {
        return elapsedMillis;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof ScaleOutContainer)) return false;
        ScaleOutContainer other = (ScaleOutContainer) o;
        return Objects.equals(id, other.id)
                && Objects.equals(namespace, other.namespace)
                && Objects.equals(service, other.service)
                && ordinal == other.ordinal
                && Objects.equals(status, other.status)
                && Objects.equals(reason, other.reason)
                && Objects.equals(createdAt, other.createdAt)
                && Objects.equals(updatedAt, other.updatedAt)
                && elapsedMillis == other.elapsedMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, namespace, service, ordinal, status, reason, createdAt, updatedAt, elapsedMillis);
    }

    @Override
    public String toString() {
        return "ScaleOutContainer[" + "id=" + id + ", namespace=" + namespace + ", service=" + service + ", ordinal="
                + ordinal + ", status=" + status + ", reason=" + reason + ", createdAt=" + createdAt + ", updatedAt="
                + updatedAt + ", elapsedMillis=" + elapsedMillis + "]";
    }
}
