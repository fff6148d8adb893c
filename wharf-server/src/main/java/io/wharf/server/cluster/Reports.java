package io.wharf.server.cluster;

import java.util.List;

/** What agents send: their join, and every heartbeat's report of the host and its containers. */
public final class Reports {
    private Reports() {}

    /**
     * A host joining (claim 004.1).
     *
     * @param name the host's id
     * @param address where its agent runs
     * @param ipPool the range its containers take their IPs from
     * @param cpuMillis CPU capacity, thousandths of a core
     * @param memoryMb memory capacity
     */
    public record Join(String name, String address, String ipPool, long cpuMillis, long memoryMb) {}

    /** The host's resource use. */
    public record Usage(double cpuLoad, long memoryUsedMb, long memoryTotalMb, long diskFreeMb) {}

    /**
     * One container as its agent sees it.
     *
     * @param id the container
     * @param state {@code STARTING}, {@code RUNNING}, {@code BACKOFF}, {@code STOPPED} or {@code FAILED}
     * @param pid its process, 0 if none
     * @param healthy whether its last health checks passed
     * @param registered whether its endpoint is in the registry through this agent
     * @param restarts how often it was restarted
     * @param lastExit how the last run ended, if it did
     * @param rssBytes resident memory
     * @param cpuSeconds CPU time used
     */
    public record Container(
            String id,
            String state,
            long pid,
            boolean healthy,
            boolean registered,
            int restarts,
            String lastExit,
            long rssBytes,
            double cpuSeconds) {}

    /** A heartbeat: the host's use and every container the agent runs. */
    public record Heartbeat(Usage usage, List<Container> containers) {}
}
