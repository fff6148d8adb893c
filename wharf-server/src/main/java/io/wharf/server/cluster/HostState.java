package io.wharf.server.cluster;

import io.wharf.store.HostRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * What the server knows of one host between restarts: when its agent last reported, what it reported,
 * its registry lease, and a revision of its assignments that its agent long-polls on.
 */
final class HostState {
    private volatile HostRecord record;
    private volatile long lastSeenNanos;
    private volatile boolean seen;
    private volatile @Nullable String leaseId;
    private volatile Reports.@Nullable Usage usage;
    private volatile Reports.@Nullable LoadBalancer loadBalancer;
    private final Map<String, Reports.Container> containers = new ConcurrentHashMap<>();
    private long revision;
    private CompletableFuture<Long> next = new CompletableFuture<>();

    HostState(HostRecord record) {
        this.record = record;
    }

    HostRecord record() {
        return record;
    }

    void record(HostRecord r) {
        record = r;
    }

    Optional<String> leaseId() {
        return Optional.ofNullable(leaseId);
    }

    void leaseId(String id) {
        leaseId = id;
    }

    void reported(long nowNanos, Reports.Heartbeat beat) {
        lastSeenNanos = nowNanos;
        seen = true;
        usage = beat.usage();
        loadBalancer = beat.loadBalancer();
        containers
                .keySet()
                .retainAll(beat.containers().stream().map(Reports.Container::id).toList());
        beat.containers().forEach(c -> containers.put(c.id(), c));
    }

    void joined(long nowNanos) {
        lastSeenNanos = nowNanos;
        seen = true;
    }

    /** Ready while its agent reported within {@code lostAfterNanos}. */
    boolean ready(long nowNanos, long lostAfterNanos) {
        return seen && nowNanos - lastSeenNanos <= lostAfterNanos;
    }

    long lastSeenNanos() {
        return lastSeenNanos;
    }

    Optional<Reports.LoadBalancer> loadBalancer() {
        return Optional.ofNullable(loadBalancer);
    }

    Optional<Reports.Usage> usage() {
        return Optional.ofNullable(usage);
    }

    Optional<Reports.Container> observed(String containerId) {
        return Optional.ofNullable(containers.get(containerId));
    }

    List<Reports.Container> observed() {
        return List.copyOf(containers.values());
    }

    synchronized long revision() {
        return revision;
    }

    synchronized void bump(long newRevision) {
        revision = newRevision;
        CompletableFuture<Long> waiting = next;
        next = new CompletableFuture<>();
        waiting.complete(newRevision);
    }

    synchronized CompletableFuture<Long> changeAfter(long index) {
        return revision > index ? CompletableFuture.completedFuture(revision) : next.copy();
    }
}
