package io.wharf.client.wire;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An agent's report: the host's use, every container it runs, and its load balancer if it runs one.
 */
public final class Heartbeat {
    private final Usage usage;
    private final List<ContainerReport> containers;
    private final @Nullable LoadBalancerReport loadBalancer;
    private final List<VolumeReport> volumes;

    public Heartbeat(
            Usage usage,
            @Nullable List<ContainerReport> containers,
            @Nullable LoadBalancerReport loadBalancer,
            @Nullable List<VolumeReport> volumes) {
        this.usage = Objects.requireNonNull(usage, "usage");
        this.containers = containers == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(containers));
        this.loadBalancer = loadBalancer;
        this.volumes = volumes == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(volumes));
    }

    /** The host's resource use. */
    public Usage usage() {
        return usage;
    }

    /** Every container the agent runs. */
    public List<ContainerReport> containers() {
        return containers;
    }

    /** Its load balancer, if it runs one. */
    public Optional<LoadBalancerReport> loadBalancer() {
        return Optional.ofNullable(loadBalancer);
    }

    /** The volumes on the host, with their sizes as last measured. */
    public List<VolumeReport> volumes() {
        return volumes;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof Heartbeat)) return false;
        Heartbeat other = (Heartbeat) o;
        return Objects.equals(usage, other.usage)
                && Objects.equals(containers, other.containers)
                && Objects.equals(loadBalancer, other.loadBalancer)
                && Objects.equals(volumes, other.volumes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(usage, containers, loadBalancer, volumes);
    }

    @Override
    public String toString() {
        return "Heartbeat[" + "usage=" + usage + ", containers=" + containers + ", loadBalancer=" + loadBalancer
                + ", volumes=" + volumes + "]";
    }
}
