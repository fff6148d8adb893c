package io.wharf.server.cluster;

import io.wharf.client.wire.ContainerReport;
import io.wharf.client.wire.Heartbeat;
import io.wharf.client.wire.LoadBalancerReport;
import io.wharf.client.wire.Usage;
import io.wharf.core.cluster.HostRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * What the server knows of one host between restarts: its record, when its agent last reported and what it
 * said, since when it has been in contact, and its registry lease.
 */
public final class HostState {
    private volatile HostRecord record;
    private volatile @Nullable Instant lastSeen;
    private volatile Instant readySince = Instant.EPOCH;
    private volatile @Nullable String leaseId;
    private volatile @Nullable Usage usage;
    private volatile @Nullable LoadBalancerReport loadBalancer;
    private final Map<String, ContainerReport> containers = new ConcurrentHashMap<>();
    private volatile boolean reported;

    HostState(HostRecord record) {
        this.record = record;
    }

    public HostRecord record() {
        return record;
    }

    void record(HostRecord r) {
        record = r;
    }

    /** The lease its endpoints live on, once it has one. */
    public Optional<String> leaseId() {
        return Optional.ofNullable(leaseId);
    }

    void leaseId(String id) {
        leaseId = id;
    }

    /** Takes in a report at {@code now}; true if the host was not ready before it. */
    boolean reported(Instant now, Heartbeat beat, Duration lostAfter) {
        boolean was = ready(now, lostAfter);
        seen(now, lostAfter);
        usage = beat.usage();
        loadBalancer = beat.loadBalancer().orElse(null);
        containers
                .keySet()
                .retainAll(beat.containers().stream().map(ContainerReport::id).toList());
        beat.containers().forEach(c -> containers.put(c.id(), c));
        reported = true;
        return !was;
    }

    /** Whether its agent has reported its containers since this server started (joining is not reporting). */
    public boolean hasReported() {
        return reported;
    }

    void seen(Instant now, Duration lostAfter) {
        if (!ready(now, lostAfter)) readySince = now;
        lastSeen = now;
    }

    /** Ready while its agent reported within {@code lostAfter}. */
    public boolean ready(Instant now, Duration lostAfter) {
        Instant seen = lastSeen;
        return seen != null && !now.isAfter(seen.plus(lostAfter));
    }

    /** When it last became ready: time before this does not count against what waits on its agent. */
    public Instant readySince() {
        return readySince;
    }

    /** When its agent last reported; empty if never since this server started. */
    public Optional<Instant> lastSeen() {
        return Optional.ofNullable(lastSeen);
    }

    public Optional<LoadBalancerReport> loadBalancer() {
        return Optional.ofNullable(loadBalancer);
    }

    public Optional<Usage> usage() {
        return Optional.ofNullable(usage);
    }

    /** What its agent last said of a container. */
    public Optional<ContainerReport> observed(String containerId) {
        return Optional.ofNullable(containers.get(containerId));
    }
}
