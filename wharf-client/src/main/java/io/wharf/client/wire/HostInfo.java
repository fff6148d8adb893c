package io.wharf.client.wire;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A host, as the server knows it.
 */
public final class HostInfo {
    private final String id;
    private final String address;
    private final String ipPool;
    private final long cpuMillis;
    private final long memoryMb;
    private final Instant joinedAt;
    private final HostStatus state;
    private final long lastSeenMillisAgo;
    private final String lease;
    private final @Nullable Usage usage;
    private final int containers;
    private final @Nullable LoadBalancerReport loadBalancer;
    private final List<String> endpoints;
    private final String runtime;

    public HostInfo(
            @Nullable String id,
            @Nullable String address,
            @Nullable String ipPool,
            long cpuMillis,
            long memoryMb,
            Instant joinedAt,
            HostStatus state,
            long lastSeenMillisAgo,
            @Nullable String lease,
            @Nullable Usage usage,
            int containers,
            @Nullable LoadBalancerReport loadBalancer,
            @Nullable List<String> endpoints,
            @Nullable String runtime) {
        this.id = id == null ? "" : id;
        this.address = address == null ? "" : address;
        this.ipPool = ipPool == null ? "" : ipPool;
        this.cpuMillis = cpuMillis;
        this.memoryMb = memoryMb;
        this.joinedAt = Objects.requireNonNull(joinedAt, "joinedAt");
        this.state = Objects.requireNonNull(state, "state");
        this.lastSeenMillisAgo = lastSeenMillisAgo;
        this.lease = lease == null ? "" : lease;
        this.usage = usage;
        this.containers = containers;
        this.loadBalancer = loadBalancer;
        this.endpoints = endpoints == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(endpoints));
        this.runtime = runtime == null ? "process" : runtime;
    }

    /** Its name. */
    public String id() {
        return id;
    }

    /** Where its agent runs. */
    public String address() {
        return address;
    }

    /** The range its containers take their IPs from. */
    public String ipPool() {
        return ipPool;
    }

    /** CPU capacity, thousandths of a core. */
    public long cpuMillis() {
        return cpuMillis;
    }

    /** Memory capacity. */
    public long memoryMb() {
        return memoryMb;
    }

    /** When it first joined. */
    public Instant joinedAt() {
        return joinedAt;
    }

    /** Whether its agent is in contact. */
    public HostStatus state() {
        return state;
    }

    /** How long ago its agent last reported. */
    public long lastSeenMillisAgo() {
        return lastSeenMillisAgo;
    }

    /** The registry lease its endpoints live on. */
    public String lease() {
        return lease;
    }

    /** Its last reported use. */
    public Optional<Usage> usage() {
        return Optional.ofNullable(usage);
    }

    /** How many container rows it has. */
    public int containers() {
        return containers;
    }

    /** Its load balancer's last report. */
    public Optional<LoadBalancerReport> loadBalancer() {
        return Optional.ofNullable(loadBalancer);
    }

    /** The endpoints on its lease, as {@code namespace/service/ip_port}: what its agent keeps registered. */
    public List<String> endpoints() {
        return endpoints;
    }

    /** The container runtime its agent runs: {@code process} or {@code docker}. */
    public String runtime() {
        return runtime;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof HostInfo)) return false;
        HostInfo other = (HostInfo) o;
        return Objects.equals(id, other.id)
                && Objects.equals(address, other.address)
                && Objects.equals(ipPool, other.ipPool)
                && cpuMillis == other.cpuMillis
                && memoryMb == other.memoryMb
                && Objects.equals(joinedAt, other.joinedAt)
                && Objects.equals(state, other.state)
                && lastSeenMillisAgo == other.lastSeenMillisAgo
                && Objects.equals(lease, other.lease)
                && Objects.equals(usage, other.usage)
                && containers == other.containers
                && Objects.equals(loadBalancer, other.loadBalancer)
                && Objects.equals(endpoints, other.endpoints)
                && Objects.equals(runtime, other.runtime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                id,
                address,
                ipPool,
                cpuMillis,
                memoryMb,
                joinedAt,
                state,
                lastSeenMillisAgo,
                lease,
                usage,
                containers,
                loadBalancer,
                endpoints,
                runtime);
    }

    @Override
    public String toString() {
        return "HostInfo[" + "id=" + id + ", address=" + address + ", ipPool=" + ipPool + ", cpuMillis=" + cpuMillis
                + ", memoryMb=" + memoryMb + ", joinedAt=" + joinedAt + ", state=" + state + ", lastSeenMillisAgo="
                + lastSeenMillisAgo + ", lease=" + lease + ", usage=" + usage + ", containers=" + containers
                + ", loadBalancer=" + loadBalancer + ", endpoints=" + endpoints + ", runtime=" + runtime + "]";
    }
}
