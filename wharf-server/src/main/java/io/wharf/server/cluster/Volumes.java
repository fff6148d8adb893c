package io.wharf.server.cluster;

import io.wharf.client.wire.VolumeReport;
import io.wharf.core.cluster.ContainerRecord;
import io.wharf.core.cluster.VolumeRecord;
import io.wharf.core.registry.ServiceKey;
import io.wharf.core.spec.ServiceSpec;
import io.wharf.core.spec.VolumeSpec;
import io.wharf.store.ClusterStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The volumes of container ordinals (claim 002.1), durable in the store: bound to a host when their ordinal is
 * first placed there, kept until they are deleted by name — never because a container stopped or a service
 * was scaled in. Agents report what their hosts hold and how large; a volume to delete goes once its host's
 * agent no longer reports it. One invariant: the volumes of one ordinal are all on one host.
 */
public final class Volumes {
    private static final Logger log = LoggerFactory.getLogger(Volumes.class);
    private static final Comparator<VolumeRecord> ORDER = Comparator.comparing(
                    (VolumeRecord v) -> v.service().toString())
            .thenComparingInt(VolumeRecord::ordinal)
            .thenComparing(VolumeRecord::name);

    private record Key(ServiceKey service, int ordinal, String name) {}

    private final ClusterStore store;
    private final AssignmentRevisions revisions;
    private final Clock clock;
    private final Map<Key, VolumeRecord> volumes = new ConcurrentHashMap<>();
    /** The size of each volume's files as its agent last reported; not kept across restarts. */
    private final Map<Key, Long> used = new ConcurrentHashMap<>();

    Volumes(ClusterStore store, AssignmentRevisions revisions, Clock clock) {
        this.store = store;
        this.revisions = revisions;
        this.clock = clock;
        store.volumes().forEach(v -> volumes.put(key(v), v));
    }

    private static Key key(VolumeRecord v) {
        return new Key(v.service(), v.ordinal(), v.name());
    }

    /** Every volume, by service, ordinal and name. */
    public List<VolumeRecord> all() {
        return volumes.values().stream().sorted(ORDER).toList();
    }

    /** The volumes of one ordinal, by name. */
    public List<VolumeRecord> of(ServiceKey service, int ordinal) {
        return volumes.values().stream()
                .filter(v -> v.service().equals(service) && v.ordinal() == ordinal)
                .sorted(ORDER)
                .toList();
    }

    /** The size of a volume's files as its agent last reported it. */
    public Optional<Long> used(VolumeRecord v) {
        return Optional.ofNullable(used.get(key(v)));
    }

    /**
     * Where the ordinal's volumes pin it: the host they are on and the IP it had there; empty if it has none.
     */
    Optional<Scheduler.Pin> pin(ServiceKey service, int ordinal) {
        List<VolumeRecord> mine = of(service, ordinal);
        if (mine.isEmpty()) return Optional.empty();
        VolumeRecord first = mine.get(0);
        return Optional.of(
                new Scheduler.Pin(first.hostId(), first.ip(), mine.stream().anyMatch(VolumeRecord::deleting)));
    }

    /** Disk, in MiB, that the volumes on {@code hostId} were promised and do not use yet. */
    long promisedMb(String hostId) {
        long bytes = 0;
        for (VolumeRecord v : volumes.values()) {
            if (!v.hostId().equals(hostId) || v.deleting()) continue;
            bytes += Math.max(0, v.sizeBytes() - used.getOrDefault(key(v), 0L));
        }
        return bytes >> 20;
    }

    /**
     * Binds the volumes {@code spec} names for container {@code c} to its host, those it does not have yet.
     * Called under the container table's lock, with the row it places.
     */
    void bind(ContainerRecord c, ServiceSpec spec) {
        for (VolumeSpec s : spec.volumes()) {
            Key k = new Key(c.service(), c.ordinal(), s.name());
            if (volumes.containsKey(k)) continue;
            VolumeRecord v = new VolumeRecord(
                    c.service(), c.ordinal(), s.name(), c.hostId(), c.ip(), s.sizeBytes(), false, clock.instant());
            store.putVolume(v);
            volumes.put(k, v);
            log.info(
                    "volume bound service={} ordinal={} name={} host={}",
                    c.service(),
                    c.ordinal(),
                    s.name(),
                    c.hostId());
        }
    }

    /**
     * Asks for the volumes of an ordinal to be deleted (all, or the one named); their host's agent removes
     * them once no container of the ordinal is placed there. Returns those marked.
     */
    List<VolumeRecord> delete(ServiceKey service, int ordinal, Optional<String> name) {
        List<VolumeRecord> marked = new ArrayList<>();
        for (VolumeRecord v : of(service, ordinal)) {
            if (name.isPresent() && !name.get().equals(v.name())) continue;
            VolumeRecord d = v.toDelete();
            if (!v.deleting()) {
                store.putVolume(d);
                volumes.put(key(d), d);
                log.info(
                        "volume to delete service={} ordinal={} name={} host={}",
                        service,
                        ordinal,
                        v.name(),
                        v.hostId());
            }
            marked.add(d);
            revisions.bump(v.hostId());
        }
        return marked;
    }

    /**
     * The volume directories its agent should delete from {@code hostId}: those of ordinals whose every
     * volume there is to be deleted and that have no container row on the host.
     */
    List<String> toDelete(String hostId, Collection<ContainerRecord> onHost) {
        Set<String> placed = onHost.stream().map(ContainerRecord::id).collect(Collectors.toSet());
        Map<String, List<VolumeRecord>> byDir = volumes.values().stream()
                .filter(v -> v.hostId().equals(hostId))
                .collect(Collectors.groupingBy(VolumeRecord::dir));
        return byDir.entrySet().stream()
                .filter(e -> !placed.contains(e.getKey()))
                .filter(e -> e.getValue().stream().allMatch(VolumeRecord::deleting))
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }

    /**
     * What a host's agent reports it holds: sizes kept; volumes to delete that it no longer holds forgotten;
     * volumes it holds that are not known (the store was replaced, say) taken in, unless their ordinal's
     * volumes are on another host.
     */
    synchronized void reported(String hostId, List<VolumeReport> held) {
        Set<Key> present = new HashSet<>();
        for (VolumeReport r : held) {
            ServiceKey service;
            try {
                service = new ServiceKey(r.namespace(), r.service());
            } catch (RuntimeException malformed) {
                continue;
            }
            Key k = new Key(service, r.ordinal(), r.name());
            present.add(k);
            used.put(k, r.usedBytes());
            if (volumes.containsKey(k)) continue;
            Optional<Scheduler.Pin> pin = pin(service, r.ordinal());
            if (pin.isPresent() && !pin.get().hostId().equals(hostId)) {
                log.warn(
                        "volume on host {} not taken in service={} ordinal={} name={}: the ordinal's volumes are on {}",
                        hostId,
                        service,
                        r.ordinal(),
                        r.name(),
                        pin.get().hostId());
                continue;
            }
            VolumeRecord v = new VolumeRecord(
                    service,
                    r.ordinal(),
                    r.name(),
                    hostId,
                    pin.map(Scheduler.Pin::ip).orElse(""),
                    0,
                    false,
                    clock.instant());
            store.putVolume(v);
            volumes.put(k, v);
            log.info("volume found on host={} service={} ordinal={} name={}", hostId, service, r.ordinal(), r.name());
        }
        for (VolumeRecord v : List.copyOf(volumes.values())) {
            if (v.hostId().equals(hostId) && v.deleting() && !present.contains(key(v))) {
                store.deleteVolume(v.service(), v.ordinal(), v.name());
                volumes.remove(key(v));
                used.remove(key(v));
                log.info(
                        "volume deleted service={} ordinal={} name={} host={}",
                        v.service(),
                        v.ordinal(),
                        v.name(),
                        hostId);
            }
        }
    }

    /** Forgets the volumes of a host that was removed: what it held is out of reach. */
    void hostRemoved(String hostId) {
        for (VolumeRecord v : List.copyOf(volumes.values())) {
            if (v.hostId().equals(hostId)) {
                store.deleteVolume(v.service(), v.ordinal(), v.name());
                volumes.remove(key(v));
                used.remove(key(v));
                log.warn(
                        "volume forgotten with its host service={} ordinal={} name={} host={}",
                        v.service(),
                        v.ordinal(),
                        v.name(),
                        hostId);
            }
        }
    }
}
