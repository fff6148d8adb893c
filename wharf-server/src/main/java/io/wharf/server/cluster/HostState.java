package io.wharf.server.cluster;

import io.wharf.client.wire.ContainerReport;
import io.wharf.client.wire.Heartbeat;
import io.wharf.client.wire.LoadBalancerReport;
import io.wharf.client.wire.Traffic;
import io.wharf.client.wire.Usage;
import io.wharf.core.cluster.HostRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
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
    private final Map<String, Rates> rates = new ConcurrentHashMap<>();
    private volatile Map<String, NetRate> traffic = Map.of();
    private volatile @Nullable Instant reportedAt;
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

    /**
     * A container's use between its last two reports, per second: CPU seconds (cores), bytes read from and
     * written to storage.
     */
    public record Rates(double cpuCores, double diskRead, double diskWrite) {}

    /** Bytes per second a load balancer sent to one container and got back from it. */
    public record NetRate(double in, double out) {}

    private static final Traffic NO_TRAFFIC = new Traffic(0, 0);

    /** Takes in a report at {@code now}; true if the host was not ready before it. */
    boolean reported(Instant now, Heartbeat beat, Duration lostAfter) {
        boolean was = ready(now, lostAfter);
        seen(now, lostAfter);
        Instant before = reportedAt;
        double seconds = before == null ? 0 : Duration.between(before, now).toNanos() / 1e9;
        usage = beat.usage();
        LoadBalancerReport lb = beat.loadBalancer().orElse(null);
        if (lb != null && loadBalancer != null && seconds > 0) {
            Map<String, NetRate> rate = new HashMap<>();
            Map<String, Traffic> earlier = loadBalancer.traffic();
            lb.traffic().forEach((ip, t) -> {
                // an address it had not talked to before started from nothing
                Traffic w = earlier.getOrDefault(ip, NO_TRAFFIC);
                rate.put(
                        ip,
                        new NetRate(
                                perSecond(w.bytesIn(), t.bytesIn(), seconds),
                                perSecond(w.bytesOut(), t.bytesOut(), seconds)));
            });
            traffic = Map.copyOf(rate);
        } else if (lb == null) {
            traffic = Map.of();
        }
        loadBalancer = lb;
        List<String> ids = beat.containers().stream().map(ContainerReport::id).toList();
        containers.keySet().retainAll(ids);
        rates.keySet().retainAll(ids);
        for (ContainerReport c : beat.containers()) {
            ContainerReport w = containers.put(c.id(), c);
            if (w != null && seconds > 0 && w.pid() == c.pid() && c.pid() > 0) {
                rates.put(
                        c.id(),
                        new Rates(
                                Math.max(0, c.cpuSeconds() - w.cpuSeconds()) / seconds,
                                perSecond(w.diskReadBytes(), c.diskReadBytes(), seconds),
                                perSecond(w.diskWriteBytes(), c.diskWriteBytes(), seconds)));
            } else {
                rates.remove(c.id()); // first report, or another process: no rate yet
            }
        }
        reportedAt = now;
        reported = true;
        return !was;
    }

    /** The change of a counter per second; 0 when it went back (its process restarted). */
    private static double perSecond(long was, long is, double seconds) {
        return is >= was ? (is - was) / seconds : 0;
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

    /** A container's use between its agent's last two reports, once there are two of the same process. */
    public Optional<Rates> rates(String containerId) {
        return Optional.ofNullable(rates.get(containerId));
    }

    /** Bytes per second this host's load balancer exchanged with each container IP lately. */
    public Map<String, NetRate> traffic() {
        return traffic;
    }

    /** What its agent last said of a container. */
    public Optional<ContainerReport> observed(String containerId) {
        return Optional.ofNullable(containers.get(containerId));
    }
}
