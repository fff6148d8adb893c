package io.wharf.client.wire;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A service's fair intake as it runs (claims 002.2–002.6): where it listens and how far each stage has got. */
public final class IntakeInfo {
    private final String namespace;
    private final String service;
    private final String address;
    private final String backend;
    private final long skewMillis;
    private final long watermarkLagMillis;
    private final long held;
    private final long ordered;
    private final long late;
    private final long dispatched;
    private final long waiting;

    public IntakeInfo(
            @Nullable String namespace,
            @Nullable String service,
            @Nullable String address,
            @Nullable String backend,
            long skewMillis,
            long watermarkLagMillis,
            long held,
            long ordered,
            long late,
            long dispatched,
            long waiting) {
        this.namespace = namespace == null ? "" : namespace;
        this.service = service == null ? "" : service;
        this.address = address == null ? "" : address;
        this.backend = backend == null ? "" : backend;
        this.skewMillis = skewMillis;
        this.watermarkLagMillis = watermarkLagMillis;
        this.held = held;
        this.ordered = ordered;
        this.late = late;
        this.dispatched = dispatched;
        this.waiting = waiting;
    }

    /** The service's namespace. */
    public String namespace() {
        return namespace;
    }

    /** The service. */
    public String service() {
        return service;
    }

    /** Where clients reach it, {@code host:port}. */
    public String address() {
        return address;
    }

    /** Its log: {@code embedded}. */
    public String backend() {
        return backend;
    }

    /** The disorder its re-ordering waits out. */
    public long skewMillis() {
        return skewMillis;
    }

    /** How far the watermark is behind now; -1 before it has one. */
    public long watermarkLagMillis() {
        return watermarkLagMillis;
    }

    /** Requests held for re-ordering. */
    public long held() {
        return held;
    }

    /** Requests written to the ordered stream since it started. */
    public long ordered() {
        return ordered;
    }

    /** Of those, how many came after their place had passed. */
    public long late() {
        return late;
    }

    /** Requests handled (result stored) since it started. */
    public long dispatched() {
        return dispatched;
    }

    /** Requests read from the ordered stream and not yet handled. */
    public long waiting() {
        return waiting;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof IntakeInfo)) return false;
        IntakeInfo other = (IntakeInfo) o;
        return Objects.equals(namespace, other.namespace)
                && Objects.equals(service, other.service)
                && Objects.equals(address, other.address)
                && Objects.equals(backend, other.backend)
                && skewMillis == other.skewMillis
                && watermarkLagMillis == other.watermarkLagMillis
                && held == other.held
                && ordered == other.ordered
                && late == other.late
                && dispatched == other.dispatched
                && waiting == other.waiting;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                namespace,
                service,
                address,
                backend,
                skewMillis,
                watermarkLagMillis,
                held,
                ordered,
                late,
                dispatched,
                waiting);
    }

    @Override
    public String toString() {
        return "IntakeInfo[namespace=" + namespace + ", service=" + service + ", address=" + address + ", backend="
                + backend + ", skewMillis=" + skewMillis + ", watermarkLagMillis=" + watermarkLagMillis + ", held="
                + held + ", ordered=" + ordered + ", late=" + late + ", dispatched=" + dispatched + ", waiting="
                + waiting + "]";
    }
}
