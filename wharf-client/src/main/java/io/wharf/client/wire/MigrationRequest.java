package io.wharf.client.wire;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A request for an in-place registry interface migration (claims 003.2–003.7). Only {@code from}, {@code to}
 * and {@code package} are needed.
 */
public final class MigrationRequest {
    private final @Nullable String namespace;
    private final @Nullable String from;
    private final @Nullable String to;
    private final @Nullable String toAddress;
    private final @Nullable String packageImage;
    private final List<String> services;
    private final @Nullable String verify;
    private final @Nullable String watch;
    private final @Nullable Integer maxAddressDiff;
    private final @Nullable Double maxErrorRate;
    private final @Nullable String stepTimeout;

    public MigrationRequest(
            @Nullable String namespace,
            @Nullable String from,
            @Nullable String to,
            @Nullable String toAddress,
            @Nullable String packageImage,
            @Nullable List<String> services,
            @Nullable String verify,
            @Nullable String watch,
            @Nullable Integer maxAddressDiff,
            @Nullable Double maxErrorRate,
            @Nullable String stepTimeout) {
        this.namespace = namespace;
        this.from = from;
        this.to = to;
        this.toAddress = toAddress;
        this.packageImage = packageImage;
        this.services = services == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(services));
        this.verify = verify;
        this.watch = watch;
        this.maxAddressDiff = maxAddressDiff;
        this.maxErrorRate = maxErrorRate;
        this.stepTimeout = stepTimeout;
    }

    /** The namespace (default {@code default}). */
    public Optional<String> namespace() {
        return Optional.ofNullable(namespace);
    }

    /** The interface in use now, by its address, e.g. {@code zookeeper://127.0.0.1:2181/services}. */
    public Optional<String> from() {
        return Optional.ofNullable(from);
    }

    /** What the new interface is called, e.g. {@code native}. */
    public Optional<String> to() {
        return Optional.ofNullable(to);
    }

    /** The registry the new interface reaches; absent for this server. */
    public Optional<String> toAddress() {
        return Optional.ofNullable(toAddress);
    }

    /** The image ({@code NAME:VERSION}) whose package holds the new interface. */
    public Optional<String> packageImage() {
        return Optional.ofNullable(packageImage);
    }

    /** The services to move; empty for every service the namespace's SDK instances use through {@code from}. */
    public List<String> services() {
        return services;
    }

    /** How long both interfaces must agree before the switch (default 10s). */
    public Optional<String> verify() {
        return Optional.ofNullable(verify);
    }

    /** How long calls through the new interface are watched after the switch (default: the verify window). */
    public Optional<String> watch() {
        return Optional.ofNullable(watch);
    }

    /** The most addresses the two interfaces may disagree by, per consumer and service (default 0). */
    public Optional<Integer> maxAddressDiff() {
        return Optional.ofNullable(maxAddressDiff);
    }

    /** The highest share of failed calls through the new interface (default 0.001). */
    public Optional<Double> maxErrorRate() {
        return Optional.ofNullable(maxErrorRate);
    }

    /** How long every instance has to take a step before the migration is switched back (default 60s). */
    public Optional<String> stepTimeout() {
        return Optional.ofNullable(stepTimeout);
    }
}
