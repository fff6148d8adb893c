package io.wharf.client.wire;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One container a scale-in takes away.
 */
public final class ScaleInContainer {
    private final String container;
    private final String endpoint;
    private final String step;
    private final String drain;
    private final String waitingFor;

    public ScaleInContainer(
            @Nullable String container,
            @Nullable String endpoint,
            @Nullable String step,
            @Nullable String drain,
            @Nullable String waitingFor) {
        this.container = container == null ? "" : container;
        this.endpoint = endpoint == null ? "" : endpoint;
        this.step = step == null ? "" : step;
        this.drain = drain == null ? "" : drain;
        this.waitingFor = waitingFor == null ? "" : waitingFor;
    }

    /** The container. */
    public String container() {
        return container;
    }

    /** Its endpoint. */
    public String endpoint() {
        return endpoint;
    }

    /** PENDING, DRAINING, STOPPED or KEPT. */
    public String step() {
        return step;
    }

    /** How its drain ended. */
    public String drain() {
        return drain;
    }

    /** What its drain waits for now. */
    public String waitingFor() {
        return waitingFor;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof ScaleInContainer)) return false;
        ScaleInContainer other = (ScaleInContainer) o;
        return Objects.equals(container, other.container)
                && Objects.equals(endpoint, other.endpoint)
                && Objects.equals(step, other.step)
                && Objects.equals(drain, other.drain)
                && Objects.equals(waitingFor, other.waitingFor);
    }

    @Override
    public int hashCode() {
        return Objects.hash(container, endpoint, step, drain, waitingFor);
    }

    @Override
    public String toString() {
        return "ScaleInContainer[" + "container=" + container + ", endpoint=" + endpoint + ", step=" + step + ", drain="
                + drain + ", waitingFor=" + waitingFor + "]";
    }
}
