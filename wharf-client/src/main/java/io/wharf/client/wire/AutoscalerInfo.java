package io.wharf.client.wire;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An autoscaled service: its bounds, its count, its metrics against their targets, and what the autoscaler decided.
 */
public final class AutoscalerInfo {
    private final String namespace;
    private final String service;
    private final int min;
    private final int max;
    private final int current;
    private final int ready;
    private final int desired;
    private final List<AutoscaleReading> readings;
    private final String state;
    private final @Nullable String holding;
    private final @Nullable Instant evaluatedAt;
    private final @Nullable Instant lastChange;
    private final List<AutoscaleDecisionInfo> decisions;

    public AutoscalerInfo(
            @Nullable String namespace,
            @Nullable String service,
            int min,
            int max,
            int current,
            int ready,
            int desired,
            @Nullable List<AutoscaleReading> readings,
            @Nullable String state,
            @Nullable String holding,
            @Nullable Instant evaluatedAt,
            @Nullable Instant lastChange,
            @Nullable List<AutoscaleDecisionInfo> decisions) {
        this.namespace = namespace == null ? "" : namespace;
        this.service = service == null ? "" : service;
        this.min = min;
        this.max = max;
        this.current = current;
        this.ready = ready;
        this.desired = desired;
        this.readings = readings == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(readings));
        this.state = state == null ? "" : state;
        this.holding = holding;
        this.evaluatedAt = evaluatedAt;
        this.lastChange = lastChange;
        this.decisions = decisions == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(decisions));
    }

    /** The namespace. */
    public String namespace() {
        return namespace;
    }

    /** The service. */
    public String service() {
        return service;
    }

    /** The fewest containers. */
    public int min() {
        return min;
    }

    /** The most containers. */
    public int max() {
        return max;
    }

    /** Containers it runs or is starting. */
    public int current() {
        return current;
    }

    /** Those serving. */
    public int ready() {
        return ready;
    }

    /** The count it should have. */
    public int desired() {
        return desired;
    }

    /** Each metric now. */
    public List<AutoscaleReading> readings() {
        return readings;
    }

    /** What the autoscaler makes of it now. */
    public String state() {
        return state;
    }

    /** The operation it waits for, if it holds. */
    public Optional<String> holding() {
        return Optional.ofNullable(holding);
    }

    /** The last evaluation. */
    public Optional<Instant> evaluatedAt() {
        return Optional.ofNullable(evaluatedAt);
    }

    /** The last change of its count. */
    public Optional<Instant> lastChange() {
        return Optional.ofNullable(lastChange);
    }

    /** Its newest decisions, newest first (50 at most; none in lists) */
    public List<AutoscaleDecisionInfo> decisions() {
        return decisions;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof AutoscalerInfo)) return false;
        AutoscalerInfo other = (AutoscalerInfo) o;
        return Objects.equals(namespace, other.namespace)
                && Objects.equals(service, other.service)
                && min == other.min
                && max == other.max
                && current == other.current
                && ready == other.ready
                && desired == other.desired
                && Objects.equals(readings, other.readings)
                && Objects.equals(state, other.state)
                && Objects.equals(holding, other.holding)
                && Objects.equals(evaluatedAt, other.evaluatedAt)
                && Objects.equals(lastChange, other.lastChange)
                && Objects.equals(decisions, other.decisions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                namespace,
                service,
                min,
                max,
                current,
                ready,
                desired,
                readings,
                state,
                holding,
                evaluatedAt,
                lastChange,
                decisions);
    }

    @Override
    public String toString() {
        return "AutoscalerInfo[" + "namespace=" + namespace + ", service=" + service + ", min=" + min + ", max=" + max
                + ", current=" + current + ", ready=" + ready + ", desired=" + desired + ", readings=" + readings
                + ", state=" + state + ", holding=" + holding + ", evaluatedAt=" + evaluatedAt + ", lastChange="
                + lastChange + ", decisions=" + decisions + "]";
    }
}
