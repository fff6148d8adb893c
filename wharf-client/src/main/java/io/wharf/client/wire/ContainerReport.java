package io.wharf.client.wire;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One container as its agent sees it.
 */
public final class ContainerReport {
    private final String id;
    private final ContainerState state;
    private final long pid;
    private final boolean healthy;
    private final boolean registered;
    private final int restarts;
    private final String lastExit;
    private final long rssBytes;
    private final double cpuSeconds;
    private final String image;
    private final int checks;
    private final long diskBytes;
    private final long diskReadBytes;
    private final long diskWriteBytes;

    public ContainerReport(
            @Nullable String id,
            ContainerState state,
            long pid,
            boolean healthy,
            boolean registered,
            int restarts,
            @Nullable String lastExit,
            long rssBytes,
            double cpuSeconds,
            @Nullable String image,
            int checks,
            long diskBytes,
            long diskReadBytes,
            long diskWriteBytes) {
        this.id = id == null ? "" : id;
        this.state = Objects.requireNonNull(state, "state");
        this.pid = pid;
        this.healthy = healthy;
        this.registered = registered;
        this.restarts = restarts;
        this.lastExit = lastExit == null ? "" : lastExit;
        this.rssBytes = rssBytes;
        this.cpuSeconds = cpuSeconds;
        this.image = image == null ? "" : image;
        this.checks = checks;
        this.diskBytes = diskBytes;
        this.diskReadBytes = diskReadBytes;
        this.diskWriteBytes = diskWriteBytes;
    }

    /** The container. */
    public String id() {
        return id;
    }

    /** What its process is doing. */
    public ContainerState state() {
        return state;
    }

    /** Its process, 0 if none. */
    public long pid() {
        return pid;
    }

    /** Whether its last health checks passed. */
    public boolean healthy() {
        return healthy;
    }

    /** Whether its agent keeps its endpoint in the registry. */
    public boolean registered() {
        return registered;
    }

    /** How often it exited since it got its current image. */
    public int restarts() {
        return restarts;
    }

    /** How the last run ended, if it did. */
    public String lastExit() {
        return lastExit;
    }

    /** Resident memory. */
    public long rssBytes() {
        return rssBytes;
    }

    /** CPU time used. */
    public double cpuSeconds() {
        return cpuSeconds;
    }

    /**
     * The image ({@code name:version}) its process was last started as, running or waiting to be started again;
     * empty before its first start and while it is being given another image.
     */
    public String image() {
        return image;
    }

    /** Health-check rounds it has had since it got its current image (claim 001.6 counts these). */
    public int checks() {
        return checks;
    }

    /** The space its directory takes on disk, as last measured (every few seconds). */
    public long diskBytes() {
        return diskBytes;
    }

    /** Bytes its processes have read from storage, in all. */
    public long diskReadBytes() {
        return diskReadBytes;
    }

    /** Bytes its processes have written to storage, in all. */
    public long diskWriteBytes() {
        return diskWriteBytes;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof ContainerReport)) return false;
        ContainerReport other = (ContainerReport) o;
        return Objects.equals(id, other.id)
                && Objects.equals(state, other.state)
                && pid == other.pid
                && healthy == other.healthy
                && registered == other.registered
                && restarts == other.restarts
                && Objects.equals(lastExit, other.lastExit)
                && rssBytes == other.rssBytes
                && Double.compare(cpuSeconds, other.cpuSeconds) == 0
                && Objects.equals(image, other.image)
                && checks == other.checks
                && diskBytes == other.diskBytes
                && diskReadBytes == other.diskReadBytes
                && diskWriteBytes == other.diskWriteBytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                id,
                state,
                pid,
                healthy,
                registered,
                restarts,
                lastExit,
                rssBytes,
                cpuSeconds,
                image,
                checks,
                diskBytes,
                diskReadBytes,
                diskWriteBytes);
    }

    @Override
    public String toString() {
        return "ContainerReport[" + "id=" + id + ", state=" + state + ", pid=" + pid + ", healthy=" + healthy
                + ", registered=" + registered + ", restarts=" + restarts + ", lastExit=" + lastExit + ", rssBytes="
                + rssBytes + ", cpuSeconds=" + cpuSeconds + ", image=" + image + ", checks=" + checks + ", diskBytes="
                + diskBytes + ", diskReadBytes=" + diskReadBytes + ", diskWriteBytes=" + diskWriteBytes + "]";
    }
}
