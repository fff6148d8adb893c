package io.wharf.client.wire;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A release and each of its endpoints.
 */
public final class ReleaseInfo {
    private final String id;
    private final String namespace;
    private final String service;
    private final String version;
    private final String mode;
    private final int parallelism;
    private final long drainTimeoutMillis;
    private final int healthChecks;
    private final boolean rollback;
    private final long watchMillis;
    private final double maxErrorRate;
    private final double maxLatencyRatio;
    private final int minRequests;
    private final boolean allowUnwatched;
    private final OperationStatus status;
    private final String reason;
    private final String lastError;
    private final Instant createdAt;
    private final Instant updatedAt;
    private final List<ReleaseEndpointInfo> endpoints;

    public ReleaseInfo(
            @Nullable String id,
            @Nullable String namespace,
            @Nullable String service,
            @Nullable String version,
            @Nullable String mode,
            int parallelism,
            long drainTimeoutMillis,
            int healthChecks,
            boolean rollback,
            long watchMillis,
            double maxErrorRate,
            double maxLatencyRatio,
            int minRequests,
            boolean allowUnwatched,
            OperationStatus status,
            @Nullable String reason,
            @Nullable String lastError,
            Instant createdAt,
            Instant updatedAt,
            @Nullable List<ReleaseEndpointInfo> endpoints) {
        this.id = id == null ? "" : id;
        this.namespace = namespace == null ? "" : namespace;
        this.service = service == null ? "" : service;
        this.version = version == null ? "" : version;
        this.mode = mode == null ? "" : mode;
        this.parallelism = parallelism;
        this.drainTimeoutMillis = drainTimeoutMillis;
        this.healthChecks = healthChecks;
        this.rollback = rollback;
        this.watchMillis = watchMillis;
        this.maxErrorRate = maxErrorRate;
        this.maxLatencyRatio = maxLatencyRatio;
        this.minRequests = minRequests;
        this.allowUnwatched = allowUnwatched;
        this.status = Objects.requireNonNull(status, "status");
        this.reason = reason == null ? "" : reason;
        this.lastError = lastError == null ? "" : lastError;
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        this.updatedAt = Objects.requireNonNull(updatedAt, "updatedAt");
        this.endpoints = endpoints == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(endpoints));
    }

    /** Its id. */
    public String id() {
        return id;
    }

    /** The service's namespace. */
    public String namespace() {
        return namespace;
    }

    /** The service. */
    public String service() {
        return service;
    }

    /** The version released. */
    public String version() {
        return version;
    }

    /** {@code in-place} or {@code start-first}. */
    public String mode() {
        return mode;
    }

    /** Endpoints replaced at once. */
    public int parallelism() {
        return parallelism;
    }

    /** The longest drain. */
    public long drainTimeoutMillis() {
        return drainTimeoutMillis;
    }

    /** Health checks a new version gets. */
    public int healthChecks() {
        return healthChecks;
    }

    /** Whether a failed endpoint goes back to its old version. */
    public boolean rollback() {
        return rollback;
    }

    /** Start-first: how long a new endpoint is watched. */
    public long watchMillis() {
        return watchMillis;
    }

    /** Start-first: the highest share of failed requests. */
    public double maxErrorRate() {
        return maxErrorRate;
    }

    /** Start-first: how many times the others' latency a new endpoint may take. */
    public double maxLatencyRatio() {
        return maxLatencyRatio;
    }

    /** Start-first: requests a watch needs before it judges. */
    public int minRequests() {
        return minRequests;
    }

    /** Start-first: whether a watch that saw too few requests may switch. */
    public boolean allowUnwatched() {
        return allowUnwatched;
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

    /** Its endpoints. */
    public List<ReleaseEndpointInfo> endpoints() {
        return endpoints;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof ReleaseInfo)) return false;
        ReleaseInfo other = (ReleaseInfo) o;
        return Objects.equals(id, other.id)
                && Objects.equals(namespace, other.namespace)
                && Objects.equals(service, other.service)
                && Objects.equals(version, other.version)
                && Objects.equals(mode, other.mode)
                && parallelism == other.parallelism
                && drainTimeoutMillis == other.drainTimeoutMillis
                && healthChecks == other.healthChecks
                && rollback == other.rollback
                && watchMillis == other.watchMillis
                && Double.compare(maxErrorRate, other.maxErrorRate) == 0
                && Double.compare(maxLatencyRatio, other.maxLatencyRatio) == 0
                && minRequests == other.minRequests
                && allowUnwatched == other.allowUnwatched
                && Objects.equals(status, other.status)
                && Objects.equals(reason, other.reason)
                && Objects.equals(lastError, other.lastError)
                && Objects.equals(createdAt, other.createdAt)
                && Objects.equals(updatedAt, other.updatedAt)
                && Objects.equals(endpoints, other.endpoints);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                id,
                namespace,
                service,
                version,
                mode,
                parallelism,
                drainTimeoutMillis,
                healthChecks,
                rollback,
                watchMillis,
                maxErrorRate,
                maxLatencyRatio,
                minRequests,
                allowUnwatched,
                status,
                reason,
                lastError,
                createdAt,
                updatedAt,
                endpoints);
    }

    @Override
    public String toString() {
        return "ReleaseInfo[" + "id=" + id + ", namespace=" + namespace + ", service=" + service + ", version="
                + version + ", mode=" + mode + ", parallelism=" + parallelism + ", drainTimeoutMillis="
                + drainTimeoutMillis + ", healthChecks=" + healthChecks + ", rollback=" + rollback + ", watchMillis="
                + watchMillis + ", maxErrorRate=" + maxErrorRate + ", maxLatencyRatio=" + maxLatencyRatio
                + ", minRequests=" + minRequests + ", allowUnwatched=" + allowUnwatched + ", status=" + status
                + ", reason=" + reason + ", lastError=" + lastError + ", createdAt=" + createdAt + ", updatedAt="
                + updatedAt + ", endpoints=" + endpoints + "]";
    }
}
