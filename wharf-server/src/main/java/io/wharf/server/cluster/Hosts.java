package io.wharf.server.cluster;

import io.wharf.client.wire.Heartbeat;
import io.wharf.client.wire.HostJoin;
import io.wharf.core.ConflictException;
import io.wharf.core.InvalidInputException;
import io.wharf.core.NotFoundException;
import io.wharf.core.cluster.HostRecord;
import io.wharf.core.placement.IpPool;
import io.wharf.core.registry.Names;
import io.wharf.server.registry.Registry;
import io.wharf.store.ClusterStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Host membership and liveness (claim 004.1): hosts join through their agents, each with its own IP pool,
 * and stay ready while their agents report. Each host has one registry lease, renewed by every report, on
 * which all its endpoints live, so a host that goes silent loses them all at once.
 */
public final class Hosts {
    private static final Logger log = LoggerFactory.getLogger(Hosts.class);
    /** A host that has not reported for this long is lost; its endpoints' lease has lapsed by then too. */
    public static final Duration LOST_AFTER = Duration.ofSeconds(3);

    private final ClusterStore store;
    private final Registry registry;
    private final Clock clock;
    private final Map<String, HostState> hosts = new ConcurrentHashMap<>();

    public Hosts(ClusterStore store, Registry registry, Clock clock) {
        this.store = store;
        this.registry = registry;
        this.clock = clock;
        store.hosts().forEach(h -> hosts.put(h.id(), new HostState(h)));
    }

    /**
     * A host joins (or joins again): checked, recorded and given a lease. Its IP pool may not overlap another
     * host's.
     *
     * @throws InvalidInputException naming a wrong field
     * @throws ConflictException if its pool overlaps another host's
     */
    public synchronized HostState join(HostJoin join) {
        Names.check("name", join.name());
        IpPool pool = IpPool.parse(join.ipPool());
        if (join.cpuMillis() < 0 || join.memoryMb() < 0) {
            throw InvalidInputException.of("capacity", "negative (expected: cpuMillis and memoryMb >= 0)");
        }
        if (!HostRecord.RUNTIMES.contains(join.runtime())) {
            throw InvalidInputException.of(
                    "runtime",
                    "'" + Names.printable(join.runtime()) + "' (expected: " + String.join(" or ", HostRecord.RUNTIMES)
                            + ")");
        }
        for (HostState other : hosts.values()) {
            if (!other.record().id().equals(join.name())
                    && IpPool.parse(other.record().ipPool()).overlaps(pool)) {
                throw new ConflictException("ip pool " + pool + " overlaps host "
                        + other.record().id() + "'s (" + other.record().ipPool() + "); give each host its own range");
            }
        }
        HostState state = hosts.computeIfAbsent(
                join.name(),
                n -> new HostState(new HostRecord(
                        n,
                        join.address(),
                        pool.toString(),
                        join.cpuMillis(),
                        join.memoryMb(),
                        clock.instant(),
                        join.runtime())));
        HostRecord updated = new HostRecord(
                join.name(),
                join.address(),
                pool.toString(),
                join.cpuMillis(),
                join.memoryMb(),
                state.record().joinedAt(),
                join.runtime());
        store.putHost(updated);
        state.record(updated);
        state.seen(clock.instant(), LOST_AFTER);
        ensureLease(state);
        log.info(
                "host joined host={} address={} pool={} cpu_millis={} memory_mb={} runtime={}",
                join.name(),
                join.address(),
                pool,
                join.cpuMillis(),
                join.memoryMb(),
                join.runtime());
        return state;
    }

    /** What a report changed. */
    public record Reported(HostState host, boolean becameReady) {}

    /** A report: the host is alive, its lease (and so all its endpoints) renewed, what it says kept. */
    public Reported heartbeat(String hostId, Heartbeat beat) {
        HostState state = require(hostId);
        boolean becameReady = state.reported(clock.instant(), beat, LOST_AFTER);
        ensureLease(state);
        if (becameReady) log.info("host ready host={}", hostId);
        return new Reported(state, becameReady);
    }

    private void ensureLease(HostState state) {
        Optional<String> lease = state.leaseId();
        if (lease.isPresent()) {
            try {
                registry.renewLease(lease.get());
                return;
            } catch (NotFoundException lapsed) {
                log.info(
                        "host lease lapsed host={} lease={}; granting a new one",
                        state.record().id(),
                        lease.get());
            }
        }
        state.leaseId(
                registry.grantLease(LOST_AFTER, "host:" + state.record().id()).id());
    }

    /** Forgets a host: its record, and its lease with every endpoint on it. */
    public synchronized void remove(String id) {
        HostState state = require(id);
        state.leaseId().ifPresent(lease -> {
            try {
                registry.revokeLease(lease);
            } catch (NotFoundException lapsed) {
                // gone already
            }
        });
        store.deleteHost(id);
        hosts.remove(id);
        log.info("host removed host={}", id);
    }

    public Optional<HostState> get(String id) {
        return Optional.ofNullable(hosts.get(id));
    }

    /**
     * @throws NotFoundException if no host of that name has joined
     */
    public HostState require(String id) {
        HostState state = hosts.get(id);
        if (state == null) {
            throw new NotFoundException("host", id);
        }
        return state;
    }

    /** Every host, by name. */
    public List<HostState> all() {
        return hosts.values().stream()
                .sorted(Comparator.comparing(h -> h.record().id()))
                .toList();
    }

    /** Whether a host's agent is in contact now. */
    public boolean ready(HostState host) {
        return host.ready(clock.instant(), LOST_AFTER);
    }
}
