package io.wharf.client.wire;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A request for a release (claims 001.1-001.10). Only {@code service} and {@code version} are needed.
 */
public final class ReleaseRequest {
    private final @Nullable String namespace;
    private final @Nullable String service;
    private final @Nullable String version;
    private final @Nullable Integer parallelism;
    private final @Nullable String drainTimeout;
    private final @Nullable Integer healthChecks;
    private final @Nullable String mode;
    private final @Nullable Boolean rollback;
    private final @Nullable String watch;
    private final @Nullable Double maxErrorRate;
    private final @Nullable Double maxLatencyRatio;
    private final @Nullable Integer minRequests;
    private final @Nullable Boolean allowUnwatched;

    public ReleaseRequest(
            @Nullable String namespace,
            @Nullable String service,
            @Nullable String version,
            @Nullable Integer parallelism,
            @Nullable String drainTimeout,
            @Nullable Integer healthChecks,
            @Nullable String mode,
            @Nullable Boolean rollback,
            @Nullable String watch,
            @Nullable Double maxErrorRate,
            @Nullable Double maxLatencyRatio,
            @Nullable Integer minRequests,
            @Nullable Boolean allowUnwatched) {
        this.namespace = namespace;
        this.service = service;
        this.version = version;
        this.parallelism = parallelism;
        this.drainTimeout = drainTimeout;
        this.healthChecks = healthChecks;
        this.mode = mode;
        this.rollback = rollback;
        this.watch = watch;
        this.maxErrorRate = maxErrorRate;
        this.maxLatencyRatio = maxLatencyRatio;
        this.minRequests = minRequests;
        this.allowUnwatched = allowUnwatched;
    }

    /** The namespace (default {@code default}) */
    public Optional<String> namespace() {
        return Optional.ofNullable(namespace);
    }

    /** The service. */
    public Optional<String> service() {
        return Optional.ofNullable(service);
    }

    /** The version to release. */
    public Optional<String> version() {
        return Optional.ofNullable(version);
    }

    /** Endpoints replaced at once (default 1) */
    public Optional<Integer> parallelism() {
        return Optional.ofNullable(parallelism);
    }

    /** The longest drain (default 20s) */
    public Optional<String> drainTimeout() {
        return Optional.ofNullable(drainTimeout);
    }

    /** Health checks a new version gets (default 6) */
    public Optional<Integer> healthChecks() {
        return Optional.ofNullable(healthChecks);
    }

    /** {@code in-place} (default) or {@code start-first}. */
    public Optional<String> mode() {
        return Optional.ofNullable(mode);
    }

    /** Whether a failed endpoint goes back to its old version (default true) */
    public Optional<Boolean> rollback() {
        return Optional.ofNullable(rollback);
    }

    /** Start-first: how long a new endpoint is watched (default 10s) */
    public Optional<String> watch() {
        return Optional.ofNullable(watch);
    }

    /** Start-first: the highest share of failed requests (default 0.01) */
    public Optional<Double> maxErrorRate() {
        return Optional.ofNullable(maxErrorRate);
    }

    /** Start-first: how many times the others' latency a new endpoint may take (default 2) */
    public Optional<Double> maxLatencyRatio() {
        return Optional.ofNullable(maxLatencyRatio);
    }

    /** Start-first: requests a watch needs before it judges (default 20) */
    public Optional<Integer> minRequests() {
        return Optional.ofNullable(minRequests);
    }

    /** Start-first: switch even when the watch saw too few requests to judge (default false) */
    public Optional<Boolean> allowUnwatched() {
        return Optional.ofNullable(allowUnwatched);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof ReleaseRequest)) return false;
        ReleaseRequest other = (ReleaseRequest) o;
        return Objects.equals(namespace, other.namespace)
                && Objects.equals(service, other.service)
                && Objects.equals(version, other.version)
                && Objects.equals(parallelism, other.parallelism)
                && Objects.equals(drainTimeout, other.drainTimeout)
                && Objects.equals(healthChecks, other.healthChecks)
                && Objects.equals(mode, other.mode)
                && Objects.equals(rollback, other.rollback)
                && Objects.equals(watch, other.watch)
                && Objects.equals(maxErrorRate, other.maxErrorRate)
                && Objects.equals(maxLatencyRatio, other.maxLatencyRatio)
                && Objects.equals(minRequests, other.minRequests)
                && Objects.equals(allowUnwatched, other.allowUnwatched);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                namespace,
                service,
                version,
                parallelism,
                drainTimeout,
                healthChecks,
                mode,
                rollback,
                watch,
                maxErrorRate,
                maxLatencyRatio,
                minRequests,
                allowUnwatched);
    }

    @Override
    public String toString() {
        return "ReleaseRequest[" + "namespace=" + namespace + ", service=" + service + ", version=" + version
                + ", parallelism=" + parallelism + ", drainTimeout=" + drainTimeout + ", healthChecks=" + healthChecks
                + ", mode=" + mode + ", rollback=" + rollback + ", watch=" + watch + ", maxErrorRate=" + maxErrorRate
                + ", maxLatencyRatio=" + maxLatencyRatio + ", minRequests=" + minRequests + ", allowUnwatched="
                + allowUnwatched + "]";
    }
}
