package io.wharf.client.wire;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a container uses now (claim 002.7): CPU, memory, disk and network, each a rate over the last interval
 * between its agent's reports (about half a second) where it is one.
 */
public final class ContainerUsage {
    private final double cpuCores;
    private final long memoryBytes;
    private final long diskBytes;
    private final double diskReadBytesPerSecond;
    private final double diskWriteBytesPerSecond;
    private final double netInBytesPerSecond;
    private final double netOutBytesPerSecond;

    public ContainerUsage(
            double cpuCores,
            long memoryBytes,
            long diskBytes,
            double diskReadBytesPerSecond,
            double diskWriteBytesPerSecond,
            double netInBytesPerSecond,
            double netOutBytesPerSecond) {
        this.cpuCores = cpuCores;
        this.memoryBytes = memoryBytes;
        this.diskBytes = diskBytes;
        this.diskReadBytesPerSecond = diskReadBytesPerSecond;
        this.diskWriteBytesPerSecond = diskWriteBytesPerSecond;
        this.netInBytesPerSecond = netInBytesPerSecond;
        this.netOutBytesPerSecond = netOutBytesPerSecond;
    }

    /** Cores in use (CPU seconds per second). */
    public double cpuCores() {
        return cpuCores;
    }

    /** Resident memory. */
    public long memoryBytes() {
        return memoryBytes;
    }

    /** The space its directory takes on disk. */
    public long diskBytes() {
        return diskBytes;
    }

    /** Bytes read from storage per second. */
    public double diskReadBytesPerSecond() {
        return diskReadBytesPerSecond;
    }

    /** Bytes written to storage per second. */
    public double diskWriteBytesPerSecond() {
        return diskWriteBytesPerSecond;
    }

    /** Bytes per second the load balancers sent it (requests, TCP streams). */
    public double netInBytesPerSecond() {
        return netInBytesPerSecond;
    }

    /** Bytes per second it sent back through the load balancers. */
    public double netOutBytesPerSecond() {
        return netOutBytesPerSecond;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof ContainerUsage)) return false;
        ContainerUsage other = (ContainerUsage) o;
        return Double.compare(cpuCores, other.cpuCores) == 0
                && memoryBytes == other.memoryBytes
                && diskBytes == other.diskBytes
                && Double.compare(diskReadBytesPerSecond, other.diskReadBytesPerSecond) == 0
                && Double.compare(diskWriteBytesPerSecond, other.diskWriteBytesPerSecond) == 0
                && Double.compare(netInBytesPerSecond, other.netInBytesPerSecond) == 0
                && Double.compare(netOutBytesPerSecond, other.netOutBytesPerSecond) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                cpuCores,
                memoryBytes,
                diskBytes,
                diskReadBytesPerSecond,
                diskWriteBytesPerSecond,
                netInBytesPerSecond,
                netOutBytesPerSecond);
    }

    @Override
    public String toString() {
        return "ContainerUsage[cpuCores=" + cpuCores + ", memoryBytes=" + memoryBytes + ", diskBytes=" + diskBytes
                + ", diskReadBytesPerSecond=" + diskReadBytesPerSecond + ", diskWriteBytesPerSecond="
                + diskWriteBytesPerSecond + ", netInBytesPerSecond=" + netInBytesPerSecond
                + ", netOutBytesPerSecond=" + netOutBytesPerSecond + "]";
    }
}
