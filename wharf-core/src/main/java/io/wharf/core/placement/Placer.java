package io.wharf.core.placement;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Chooses a host for a new container: among the ready hosts with room, the one running fewest of the service, then fewest in all. */
public final class Placer {
    private Placer() {}

    /**
     * A host as placement sees it.
     *
     * @param id the host
     * @param ready whether its agent is in contact
     * @param freeCpuMillis capacity left, in thousandths of a core
     * @param freeMemoryMb capacity left
     * @param ofService how many containers of the service it runs
     * @param total how many containers it runs
     * @param freeIps addresses left in its pool
     * @param freeDiskMb disk left for new volumes: free on the host less what its volumes were promised
     */
    public record Candidate(
            String id,
            boolean ready,
            long freeCpuMillis,
            long freeMemoryMb,
            int ofService,
            int total,
            int freeIps,
            long freeDiskMb) {
        /** A host whose disk is not a limit. */
        public Candidate(
                String id,
                boolean ready,
                long freeCpuMillis,
                long freeMemoryMb,
                int ofService,
                int total,
                int freeIps) {
            this(id, ready, freeCpuMillis, freeMemoryMb, ofService, total, freeIps, Long.MAX_VALUE);
        }
    }

    /** The chosen host, or empty if none is ready with room for {@code cpuMillis} and {@code memoryMb}. */
    public static Optional<String> choose(List<Candidate> hosts, long cpuMillis, long memoryMb) {
        return choose(hosts, cpuMillis, memoryMb, 0);
    }

    /**
     * The chosen host, or empty if none is ready with room for {@code cpuMillis}, {@code memoryMb} and
     * {@code diskMb} of new volumes.
     */
    public static Optional<String> choose(List<Candidate> hosts, long cpuMillis, long memoryMb, long diskMb) {
        return hosts.stream()
                .filter(Candidate::ready)
                .filter(h -> h.freeIps() > 0
                        && h.freeCpuMillis() >= cpuMillis
                        && h.freeMemoryMb() >= memoryMb
                        && h.freeDiskMb() >= diskMb)
                .min(Comparator.comparingInt(Candidate::ofService)
                        .thenComparingInt(Candidate::total)
                        .thenComparing(Candidate::id))
                .map(Candidate::id);
    }
}
