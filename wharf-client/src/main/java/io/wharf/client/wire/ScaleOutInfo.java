package io.wharf.client.wire;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A scale-out task with its service and container rows (claim 000.4's task table).
 */
public final class ScaleOutInfo {
    private final ScaleOutSummary task;
    private final List<ScaleOutService> services;
    private final List<ScaleOutContainer> containers;

    public ScaleOutInfo(
            ScaleOutSummary task,
            @Nullable List<ScaleOutService> services,
            @Nullable List<ScaleOutContainer> containers) {
        this.task = Objects.requireNonNull(task, "task");
        this.services = services == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(services));
        this.containers = containers == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(containers));
    }

    /** The task. */
    public ScaleOutSummary task() {
        return task;
    }

    /** Its services. */
    public List<ScaleOutService> services() {
        return services;
    }

    /** The containers it creates. */
    public List<ScaleOutContainer> containers() {
        return containers;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof ScaleOutInfo)) return false;
        ScaleOutInfo other = (ScaleOutInfo) o;
        return Objects.equals(task, other.task)
                && Objects.equals(services, other.services)
                && Objects.equals(containers, other.containers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(task, services, containers);
    }

    @Override
    public String toString() {
        return "ScaleOutInfo[" + "task=" + task + ", services=" + services + ", containers=" + containers + "]";
    }
}
