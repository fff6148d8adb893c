package io.wharf.client.wire;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A host joining (claim 004.1).
 */
public final class HostJoin {
    private final String name;
    private final String address;
    private final String ipPool;
    private final long cpuMillis;
    private final long memoryMb;
    private final String runtime;

    public HostJoin(
            @Nullable String name,
            @Nullable String address,
            @Nullable String ipPool,
            long cpuMillis,
            long memoryMb,
            @Nullable String runtime) {
        this.name = name == null ? "" : name;
        this.address = address == null ? "" : address;
        this.ipPool = ipPool == null ? "" : ipPool;
        this.cpuMillis = cpuMillis;
        this.memoryMb = memoryMb;
        // an agent from before runtimes were told apart runs processes
        this.runtime = runtime == null ? "process" : runtime;
    }

    /** The host's id. */
    public String name() {
        return name;
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

    /** The container runtime it runs: {@code process} or {@code docker}. */
    public String runtime() {
        return runtime;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof HostJoin)) return false;
        HostJoin other = (HostJoin) o;
        return Objects.equals(name, other.name)
                && Objects.equals(address, other.address)
                && Objects.equals(ipPool, other.ipPool)
                && cpuMillis == other.cpuMillis
                && memoryMb == other.memoryMb
                && Objects.equals(runtime, other.runtime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, address, ipPool, cpuMillis, memoryMb, runtime);
    }

    @Override
    public String toString() {
        return "HostJoin[" + "name=" + name + ", address=" + address + ", ipPool=" + ipPool + ", cpuMillis=" + cpuMillis
                + ", memoryMb=" + memoryMb + ", runtime=" + runtime + "]";
    }
}
