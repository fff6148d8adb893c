package io.wharf.server.cluster;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

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

    /**
     * A routed service as one load balancer serves it.
     *
     * @param revision the registry revision it has applied
     * @param inFlight requests (HTTP) or connections (TCP) in flight per endpoint {@code ip_port}, including
     *     endpoints that left but still finish requests
     * @param served what each endpoint has served since it joined (absent from older agents)
     */
    public record ServiceLoad(
            String namespace,
            String service,
            @Nullable String rule,
            @Nullable String slowStart,
            long revision,
            Map<String, Integer> inFlight,
            @Nullable Map<String, Served> served) {
        public ServiceLoad {
            served = served == null ? Map.of() : Map.copyOf(served);
        }
    }

    /**
     * What one endpoint has had through one load balancer since it joined.
     *
     * @param requests requests (HTTP) or connections (TCP)
     * @param failures those that failed, answers with a 5xx status included
     * @param totalMicros the total time of those answered
     */
    public record Served(long requests, long failures, long totalMicros) {}

    /**
     * The host's load balancer (claim 004.5).
     *
     * @param address where it listens
     * @param ports the external ports it serves, with their protocol
     * @param problems external ports it could not serve, with the reason
     * @param services what it serves
     */
    public record LoadBalancer(
            String address, Map<String, String> ports, Map<String, String> problems, List<ServiceLoad> services) {}

    /** A heartbeat: the host's use, every container the agent runs, and its load balancer if it runs one. */
    public record Heartbeat(
            Usage usage,
            List<Container> containers,
            @Nullable LoadBalancer loadBalancer) {}
}
