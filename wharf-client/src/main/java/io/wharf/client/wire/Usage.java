package io.wharf.client.wire;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A host's resource use.
 */
public final class Usage {
    private final double cpuLoad;
    private final long memoryUsedMb;
    private final long memoryTotalMb;
    private final long diskFreeMb;

    public Usage(double cpuLoad, long memoryUsedMb, long memoryTotalMb, long diskFreeMb) {
        this.cpuLoad = cpuLoad;
        this.memoryUsedMb = memoryUsedMb;
        this.memoryTotalMb = memoryTotalMb;
        this.diskFreeMb = diskFreeMb;
    }

    /** The share of all its cores in use, 0..1. */
    public double cpuLoad() {
        return cpuLoad;
    }

    /** Memory in use. */
    public long memoryUsedMb() {
        return memoryUsedMb;
    }

    /** Memory in all. */
    public long memoryTotalMb() {
        return memoryTotalMb;
    }

    /** Free disk where the agent keeps its data. */
    public long diskFreeMb() {
        return diskFreeMb;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof Usage)) return false;
        Usage other = (Usage) o;
        return Double.compare(cpuLoad, other.cpuLoad) == 0
                && memoryUsedMb == other.memoryUsedMb
                && memoryTotalMb == other.memoryTotalMb
                && diskFreeMb == other.diskFreeMb;
    }

    @Override
    public int hashCode() {
        return Objects.hash(cpuLoad, memoryUsedMb, memoryTotalMb, diskFreeMb);
    }

    @Override
    public String toString() {
        return "Usage[" + "cpuLoad=" + cpuLoad + ", memoryUsedMb=" + memoryUsedMb + ", memoryTotalMb=" + memoryTotalMb
                + ", diskFreeMb=" + diskFreeMb + "]";
    }
}
