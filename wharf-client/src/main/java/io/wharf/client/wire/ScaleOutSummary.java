package io.wharf.client.wire;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A scale-out task's state and progress.
 */
public final class ScaleOutSummary {
    private final String id;
    private final List<String> groups;
    private final OperationStatus status;
    private final String reason;
    private final String lastError;
    private final Instant createdAt;
    private final Instant updatedAt;
    private final long elapsedMillis;
    private final ScaleOutCounts services;
    private final ScaleOutContainerCounts containers;

    public ScaleOutSummary(
            @Nullable String id,
            @Nullable List<String> groups,
            OperationStatus status,
            @Nullable String reason,
            @Nullable String lastError,
            Instant createdAt,
            Instant updatedAt,
            long elapsedMillis,
            ScaleOutCounts services,
            ScaleOutContainerCounts containers) {
        this.id = id == null ? "" : id;
        this.groups = groups == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(groups));
        this.status = Objects.requireNonNull(status, "status");
        this.reason = reason == null ? "" : reason;
        this.lastError = lastError == null ? "" : lastError;
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        this.updatedAt = Objects.requireNonNull(updatedAt, "updatedAt");
        this.elapsedMillis = elapsedMillis;
        this.services = Objects.requireNonNull(services, "services");
        this.containers = Objects.requireNonNull(containers, "containers");
    }

    /** Its id. */
    public String id() {
        return id;
    }

    /** The groups it scales out. */
    public List<String> groups() {
        return groups;
    }

    /** Where it stands. */
    public OperationStatus status() {
        return status;
    }

    /** Why it ended as it did. */
    public String reason() {
        return reason;
    }

    /** The last error stepping it met, if it is being retried. */
    public String lastError() {
        return lastError;
    }

    /** When it was created. */
    public Instant createdAt() {
        return createdAt;
    }

    /** When it last changed. */
    public Instant updatedAt() {
        return updatedAt;
    }

    /** How long it has taken. */
    public long elapsedMillis() {
        return elapsedMillis;
    }

    /** Its services by state. */
    public ScaleOutCounts services() {
        return services;
    }

    /** Its containers by state. */
    public ScaleOutContainerCounts containers() {
        return containers;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof ScaleOutSummary)) return false;
        ScaleOutSummary other = (ScaleOutSummary) o;
        return Objects.equals(id, other.id)
                && Objects.equals(groups, other.groups)
                && Objects.equals(status, other.status)
                && Objects.equals(reason, other.reason)
                && Objects.equals(lastError, other.lastError)
                && Objects.equals(createdAt, other.createdAt)
                && Objects.equals(updatedAt, other.updatedAt)
                && elapsedMillis == other.elapsedMillis
                && Objects.equals(services, other.services)
                && Objects.equals(containers, other.containers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                id, groups, status, reason, lastError, createdAt, updatedAt, elapsedMillis, services, containers);
    }

    @Override
    public String toString() {
        return "ScaleOutSummary[" + "id=" + id + ", groups=" + groups + ", status=" + status + ", reason=" + reason
                + ", lastError=" + lastError + ", createdAt=" + createdAt + ", updatedAt=" + updatedAt
                + ", elapsedMillis=" + elapsedMillis + ", services=" + services + ", containers=" + containers + "]";
    }
}
