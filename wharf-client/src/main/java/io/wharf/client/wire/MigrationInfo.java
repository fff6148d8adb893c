package io.wharf.client.wire;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** An interface migration as the API shows it: what it moves, where it stands, each step it took. */
public final class MigrationInfo {
    private final String id;
    private final String namespace;
    private final List<String> services;
    private final String from;
    private final String fromAddress;
    private final String to;
    private final String toAddress;
    private final String packageImage;
    private final String packageDigest;
    private final long verifyMillis;
    private final long watchMillis;
    private final int maxAddressDiff;
    private final double maxErrorRate;
    private final long stepTimeoutMillis;
    private final OperationStatus status;
    private final String step;
    private final String reason;
    private final String lastError;
    private final @Nullable Instant createdAt;
    private final @Nullable Instant updatedAt;
    private final List<MigrationStepInfo> steps;

    public MigrationInfo(
            @Nullable String id,
            @Nullable String namespace,
            @Nullable List<String> services,
            @Nullable String from,
            @Nullable String fromAddress,
            @Nullable String to,
            @Nullable String toAddress,
            @Nullable String packageImage,
            @Nullable String packageDigest,
            long verifyMillis,
            long watchMillis,
            int maxAddressDiff,
            double maxErrorRate,
            long stepTimeoutMillis,
            @Nullable OperationStatus status,
            @Nullable String step,
            @Nullable String reason,
            @Nullable String lastError,
            @Nullable Instant createdAt,
            @Nullable Instant updatedAt,
            @Nullable List<MigrationStepInfo> steps) {
        this.id = id == null ? "" : id;
        this.namespace = namespace == null ? "" : namespace;
        this.services = services == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(services));
        this.from = from == null ? "" : from;
        this.fromAddress = fromAddress == null ? "" : fromAddress;
        this.to = to == null ? "" : to;
        this.toAddress = toAddress == null ? "" : toAddress;
        this.packageImage = packageImage == null ? "" : packageImage;
        this.packageDigest = packageDigest == null ? "" : packageDigest;
        this.verifyMillis = verifyMillis;
        this.watchMillis = watchMillis;
        this.maxAddressDiff = maxAddressDiff;
        this.maxErrorRate = maxErrorRate;
        this.stepTimeoutMillis = stepTimeoutMillis;
        this.status = status == null ? OperationStatus.RUNNING : status;
        this.step = step == null ? "" : step;
        this.reason = reason == null ? "" : reason;
        this.lastError = lastError == null ? "" : lastError;
        this.createdAt = createdAt;
        this.updatedAt = updatedAt;
        this.steps = steps == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(steps));
    }

    public String id() {
        return id;
    }

    public String namespace() {
        return namespace;
    }

    /** The services it moves. */
    public List<String> services() {
        return services;
    }

    /** The old interface's name, e.g. {@code zookeeper}. */
    public String from() {
        return from;
    }

    public String fromAddress() {
        return fromAddress;
    }

    /** The new interface's name, e.g. {@code native}. */
    public String to() {
        return to;
    }

    /** The registry the new interface reaches; empty for this server. */
    public String toAddress() {
        return toAddress;
    }

    /** The image whose package holds the new interface. */
    public String packageImage() {
        return packageImage;
    }

    public String packageDigest() {
        return packageDigest;
    }

    public long verifyMillis() {
        return verifyMillis;
    }

    public long watchMillis() {
        return watchMillis;
    }

    public int maxAddressDiff() {
        return maxAddressDiff;
    }

    public double maxErrorRate() {
        return maxErrorRate;
    }

    public long stepTimeoutMillis() {
        return stepTimeoutMillis;
    }

    public OperationStatus status() {
        return status;
    }

    /** The step it is at, or ended at. */
    public String step() {
        return step;
    }

    /** Once it ended: what it did, or why it was switched back. */
    public String reason() {
        return reason;
    }

    /** The last failed attempt at a step while it is retried. */
    public String lastError() {
        return lastError;
    }

    public @Nullable Instant createdAt() {
        return createdAt;
    }

    public @Nullable Instant updatedAt() {
        return updatedAt;
    }

    /** Every step it entered, in order. */
    public List<MigrationStepInfo> steps() {
        return steps;
    }
}
