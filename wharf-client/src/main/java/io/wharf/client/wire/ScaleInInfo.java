package io.wharf.client.wire;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A scale-in: containers beyond a service's count leaving through the acknowledged drain.
 */
public final class ScaleInInfo {
    private final String id;
    private final String namespace;
    private final String service;
    private final OperationStatus status;
    private final String reason;
    private final String outcome;
    private final Instant createdAt;
    private final Instant updatedAt;
    private final List<ScaleInContainer> containers;

    public ScaleInInfo(
            @Nullable String id,
            @Nullable String namespace,
            @Nullable String service,
            OperationStatus status,
            @Nullable String reason,
            @Nullable String outcome,
            Instant createdAt,
            Instant updatedAt,
            @Nullable List<ScaleInContainer> containers) {
        this.id = id == null ? "" : id;
        this.namespace = namespace == null ? "" : namespace;
        this.service = service == null ? "" : service;
        this.status = Objects.requireNonNull(status, "status");
        this.reason = reason == null ? "" : reason;
        this.outcome = outcome == null ? "" : outcome;
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        this.updatedAt = Objects.requireNonNull(updatedAt, "updatedAt");
        this.containers = containers == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(containers));
    }

    /** The scale-in. */
    public String id() {
        return id;
    }

    /** The namespace. */
    public String namespace() {
        return namespace;
    }

    /** The service. */
    public String service() {
        return service;
    }

    /** Running, completed or failed. */
    public OperationStatus status() {
        return status;
    }

    /** Why the count went down. */
    public String reason() {
        return reason;
    }

    /** How it ended, or what it waits for. */
    public String outcome() {
        return outcome;
    }

    /** When it started. */
    public Instant createdAt() {
        return createdAt;
    }

    /** Its last change. */
    public Instant updatedAt() {
        return updatedAt;
    }

    /** The containers it takes away. */
    public List<ScaleInContainer> containers() {
        return containers;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof ScaleInInfo)) return false;
        ScaleInInfo other = (ScaleInInfo) o;
        return Objects.equals(id, other.id)
                && Objects.equals(namespace, other.namespace)
                && Objects.equals(service, other.service)
                && Objects.equals(status, other.status)
                && Objects.equals(reason, other.reason)
                && Objects.equals(outcome, other.outcome)
                && Objects.equals(createdAt, other.createdAt)
                && Objects.equals(updatedAt, other.updatedAt)
                && Objects.equals(containers, other.containers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, namespace, service, status, reason, outcome, createdAt, updatedAt, containers);
    }

    @Override
    public String toString() {
        return "ScaleInInfo[" + "id=" + id + ", namespace=" + namespace + ", service=" + service + ", status=" + status
                + ", reason=" + reason + ", outcome=" + outcome + ", createdAt=" + createdAt + ", updatedAt="
                + updatedAt + ", containers=" + containers + "]";
    }
}
