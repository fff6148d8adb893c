package io.wharf.server.cluster;

import io.wharf.client.wire.Desired;
import io.wharf.client.wire.Registration;
import io.wharf.core.cluster.ContainerRecord;
import io.wharf.core.placement.IpPool;
import io.wharf.core.placement.Placer;
import io.wharf.core.spec.ServiceSpec;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a spec into container rows: places the missing ones (claim 004.3: each with its own IP from its
 * host's pool, all on the service's port) and names the surplus, highest ordinals first, which only a
 * drain may stop ({@link io.wharf.server.scalein}). Pure: it returns the changes; {@link Cluster} applies them.
 */
final class Scheduler {
    private Scheduler() {}

    /**
     * A host as the scheduler needs it.
     *
     * @param freeDiskMb disk left for new volumes (free, less what volumes there were promised and do not use)
     */
    record HostView(
            String id,
            boolean ready,
            IpPool pool,
            long cpuMillis,
            long memoryMb,
            long freeDiskMb,
            String runtime,
            boolean runsImage) {
        HostView(String id, boolean ready, IpPool pool, long cpuMillis, long memoryMb, long freeDiskMb) {
            this(id, ready, pool, cpuMillis, memoryMb, freeDiskMb, "process", true);
        }

        HostView(String id, boolean ready, IpPool pool, long cpuMillis, long memoryMb) {
            this(id, ready, pool, cpuMillis, memoryMb, Long.MAX_VALUE);
        }
    }

    /**
     * What to do: rows to insert, running rows beyond the count (to drain), replicas that found no room, and
     * why the first of those did not (empty if all found room).
     */
    record Plan(List<ContainerRecord> place, List<ContainerRecord> surplus, int unplaced, String pending) {}

    /**
     * Where an ordinal's volumes pin it (claim 002.1): the host they are on, the IP it had there, and whether
     * they are being deleted (then it waits).
     */
    record Pin(String hostId, String ip, boolean deleting) {}

    /** The pin of an ordinal of the service being planned, if its volumes have one. */
    interface Pins {
        Optional<Pin> of(int ordinal);

        Pins NONE = ordinal -> Optional.empty();
    }

    /** What a container reserves: its spec's CPU (millis) and memory (MiB). */
    interface Reservations {
        long cpuMillis(ContainerRecord c);

        long memoryMb(ContainerRecord c);
    }

    static Plan plan(
            ServiceSpec spec,
            Collection<ContainerRecord> all,
            List<HostView> hosts,
            Reservations reserved,
            Instant now) {
        return plan(spec, all, hosts, reserved, now, List.of());
    }

    /** As {@link #plan(ServiceSpec, Collection, List, Reservations, Instant)}, new rows taking {@code ordinals} first. */
    static Plan plan(
            ServiceSpec spec,
            Collection<ContainerRecord> all,
            List<HostView> hosts,
            Reservations reserved,
            Instant now,
            List<Integer> ordinals) {
        return plan(spec, all, hosts, reserved, now, ordinals, Pins.NONE);
    }

    /**
     * As {@link #plan(ServiceSpec, Collection, List, Reservations, Instant, List)}, an ordinal whose volumes
     * {@code pins} name placed on their host only.
     */
    static Plan plan(
            ServiceSpec spec,
            Collection<ContainerRecord> all,
            List<HostView> hosts,
            Reservations reserved,
            Instant now,
            List<Integer> ordinals,
            Pins pins) {
        List<ContainerRecord> mine = all.stream()
                .filter(c -> c.service().equals(spec.key()) && c.desired() == Desired.RUNNING)
                .sorted(Comparator.comparingInt(ContainerRecord::ordinal))
                .toList();
        List<ContainerRecord> surplus = new ArrayList<>();
        for (int i = mine.size() - 1; i >= spec.replicas(); i--) {
            surplus.add(mine.get(i));
        }
        List<ContainerRecord> working = new ArrayList<>(all);
        List<ContainerRecord> place = new ArrayList<>();
        Set<Integer> taken = new HashSet<>();
        all.stream().filter(c -> c.service().equals(spec.key())).forEach(c -> taken.add(c.ordinal()));
        Deque<Integer> wanted = new ArrayDeque<>();
        ordinals.stream().filter(o -> !taken.contains(o)).forEach(wanted::add);
        int missing = spec.replicas() - mine.size();
        int unplaced = 0;
        String pending = "";
        long cpu = Math.round(spec.cpu() * 1000);
        // disk this plan's new volumes take on each host, beyond what the hosts were already promised
        Map<String, Long> disk = new HashMap<>();
        for (int i = 0; i < missing; i++) {
            int ordinal = wanted.isEmpty() ? lowestFree(taken) : wanted.peek();
            Optional<Pin> pin = pins.of(ordinal);
            Optional<ContainerRecord> placed = pin.isPresent() && pin.get().deleting()
                    ? Optional.empty()
                    : placeOne(spec, working, hosts, ordinal, cpu, reserved, now, pin, disk);
            if (placed.isEmpty()) {
                unplaced = missing - i;
                pending = whyNot(spec, ordinal, pin, hosts, cpu);
                break;
            }
            if (!wanted.isEmpty()) wanted.poll();
            working.add(placed.get());
            place.add(placed.get());
            taken.add(ordinal);
        }
        return new Plan(place, surplus, unplaced, pending);
    }

    private static String whyNot(ServiceSpec spec, int ordinal, Optional<Pin> pin, List<HostView> hosts, long cpu) {
        String name = spec.key().service() + "-" + ordinal;
        if (pin.isPresent()) {
            Pin p = pin.get();
            if (p.deleting()) return name + " waits: its volumes on host " + p.hostId() + " are being deleted";
            boolean ready = hosts.stream().anyMatch(h -> h.id().equals(p.hostId()) && h.ready());
            return name + " waits: its volumes are on host " + p.hostId()
                    + (ready
                            ? ", which has no room for it (CPU, memory or a free IP)"
                            : ", which is lost; it starts there when the host is back (or delete its volumes: wharf"
                                    + " delete volume " + name + ")");
        }
        if (hosts.stream().noneMatch(HostView::runsImage)) {
            return name + " waits: no host's runtime runs its image " + spec.image() + " (hosts: "
                    + (hosts.isEmpty()
                            ? "none"
                            : String.join(
                                    ", ",
                                    hosts.stream()
                                            .map(h -> h.id() + " " + h.runtime())
                                            .toList()))
                    + "); Docker images run on agents started with --runtime docker, packages on --runtime process";
        }
        StringBuilder need = new StringBuilder();
        if (cpu > 0) need.append(cpu).append(" millicores, ");
        if (spec.memoryMb() > 0) need.append(spec.memoryMb()).append(" MiB of memory, ");
        if (spec.volumeBytes() > 0) need.append(mb(spec.volumeBytes())).append(" MiB of disk for volumes, ");
        return name + " waits: no ready host has " + need + "a free IP";
    }

    private static long mb(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }

    private static Optional<ContainerRecord> placeOne(
            ServiceSpec spec,
            List<ContainerRecord> working,
            List<HostView> hosts,
            int ordinal,
            long cpu,
            Reservations reserved,
            Instant now,
            Optional<Pin> pin,
            Map<String, Long> planDisk) {
        List<Placer.Candidate> candidates = new ArrayList<>();
        for (HostView h : hosts) {
            if (pin.isPresent() && !pin.get().hostId().equals(h.id())) continue;
            if (!h.runsImage()) continue; // a Docker image on a process host, or a package on a Docker host
            List<ContainerRecord> on =
                    working.stream().filter(c -> c.hostId().equals(h.id())).toList();
            long usedCpu = on.stream().mapToLong(reserved::cpuMillis).sum();
            long usedMem = on.stream().mapToLong(reserved::memoryMb).sum();
            int ofService = (int)
                    on.stream().filter(c -> c.service().equals(spec.key())).count();
            Set<String> used = usedIps(on);
            candidates.add(new Placer.Candidate(
                    h.id(),
                    h.ready(),
                    h.cpuMillis() - usedCpu,
                    h.memoryMb() - usedMem,
                    ofService,
                    on.size(),
                    h.pool().capacity() - used.size(),
                    h.freeDiskMb() - planDisk.getOrDefault(h.id(), 0L)));
        }
        // an ordinal with volumes already has its disk where they are
        long disk = pin.isPresent() ? 0 : mb(spec.volumeBytes());
        return Placer.choose(candidates, cpu, spec.memoryMb(), disk).flatMap(hostId -> {
            if (disk > 0) planDisk.merge(hostId, disk, Long::sum);
            HostView host = hosts.stream()
                    .filter(h -> h.id().equals(hostId))
                    .findFirst()
                    .orElseThrow();
            Set<String> used = usedIps(
                    working.stream().filter(c -> c.hostId().equals(hostId)).toList());
            Optional<String> own = pin.map(Pin::ip)
                    .filter(ip ->
                            !ip.isEmpty() && !used.contains(ip) && host.pool().contains(ip));
            return own.or(() -> host.pool().firstFree(used))
                    .map(ip -> new ContainerRecord(
                            ContainerRecord.idOf(spec.key(), ordinal),
                            spec.key(),
                            ordinal,
                            hostId,
                            spec.image(),
                            ip,
                            spec.mainPort().port(),
                            Desired.RUNNING,
                            Registration.ACTIVE,
                            now,
                            now));
        });
    }

    private static int lowestFree(Set<Integer> taken) {
        int ordinal = 0;
        while (taken.contains(ordinal)) ordinal++;
        return ordinal;
    }

    private static Set<String> usedIps(List<ContainerRecord> on) {
        Set<String> used = new HashSet<>();
        on.forEach(c -> used.add(c.ip()));
        return used;
    }
}
