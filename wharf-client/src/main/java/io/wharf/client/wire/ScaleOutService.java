package io.wharf.client.wire;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One service of a scale-out task (claim 000.2).
 */
public final class ScaleOutService {
    private final String namespace;
    private final String service;
    private final ScaleOutServiceStatus status;
    private final int nodes;
    private final String targetVersion;
    private final String reason;
    private final Instant createdAt;
    private final Instant updatedAt;

    public ScaleOutService(
            @Nullable String namespace,
            @Nullable String service,
            ScaleOutServiceStatus status,
            int nodes,
            @Nullable String targetVersion,
            @Nullable String reason,
            Instant createdAt,
            Instant updatedAt) {
        this.namespace = namespace == null ? "" : namespace;
        this.service = service == null ? "" : service;
        this.status = Objects.requireNonNull(status, "status");
        this.nodes = nodes;
        this.targetVersion = targetVersion == null ? "" : targetVersion;
        this.reason = reason == null ? "" : reason;
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        this.updatedAt = Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** Its namespace. */
    public String namespace() {
        return namespace;
    }

    /** The service. */
    public String service() {
        return service;
    }

    /** Where it stands. */
    public ScaleOutServiceStatus status() {
        return status;
    }

    /** How many containers it had when the task came to it; the task creates as many. */
    public int nodes() {
        return nodes;
    }

    /** The version the new containers run (claim 000.5) */
    public String targetVersion() {
        return targetVersion;
    }

    /** Why it was skipped. */
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

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof ScaleOutService)) return false;
        ScaleOutService other = (ScaleOutService) o;
        return Objects.equals(namespace, other.namespace)
                && Objects.equals(service, other.service)
                && Objects.equals(status, other.status)
                && nodes == other.nodes
                && Objects.equals(targetVersion, other.targetVersion)
                && Objects.equals(reason, other.reason)
                && Objects.equals(createdAt, other.createdAt)
                && Objects.equals(updatedAt, other.updatedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespace, service, status, nodes, targetVersion, reason, createdAt, updatedAt);
    }

    @Override
    public String toString() {
        return "ScaleOutService[" + "namespace=" + namespace + ", service=" + service + ", status=" + status
                + ", nodes=" + nodes + ", targetVersion=" + targetVersion + ", reason=" + reason + ", createdAt="
                + createdAt + ", updatedAt=" + updatedAt + "]";
    }
}
