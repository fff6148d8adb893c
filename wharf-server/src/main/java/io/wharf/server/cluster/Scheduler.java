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
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a spec into container rows: places the missing ones (claim 004.3: each with its own IP from its
 * host's pool, all on the service's port) and names the surplus, highest ordinals first, which only a
 * drain may stop ({@link io.wharf.server.scalein}). Pure: it returns the changes; {@link Cluster} applies them.
 */
final class Scheduler {
    private Scheduler() {}

    /** A host as the scheduler needs it. */
    record HostView(String id, boolean ready, IpPool pool, long cpuMillis, long memoryMb) {}

    /** What to do: rows to insert, running rows beyond the count (to drain), and replicas that found no room. */
    record Plan(List<ContainerRecord> place, List<ContainerRecord> surplus, int unplaced) {}

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
        long cpu = Math.round(spec.cpu() * 1000);
        for (int i = 0; i < missing; i++) {
            int ordinal = wanted.isEmpty() ? lowestFree(taken) : wanted.peek();
            Optional<ContainerRecord> placed = placeOne(spec, working, hosts, ordinal, cpu, reserved, now);
            if (placed.isEmpty()) {
                unplaced = missing - i;
                break;
            }
            if (!wanted.isEmpty()) wanted.poll();
            working.add(placed.get());
            place.add(placed.get());
            taken.add(ordinal);
        }
        return new Plan(place, surplus, unplaced);
    }

    private static Optional<ContainerRecord> placeOne(
            ServiceSpec spec,
            List<ContainerRecord> working,
            List<HostView> hosts,
            int ordinal,
            long cpu,
            Reservations reserved,
            Instant now) {
        List<Placer.Candidate> candidates = new ArrayList<>();
        for (HostView h : hosts) {
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
                    h.pool().capacity() - used.size()));
        }
        return Placer.choose(candidates, cpu, spec.memoryMb()).flatMap(hostId -> {
            HostView host = hosts.stream()
                    .filter(h -> h.id().equals(hostId))
                    .findFirst()
                    .orElseThrow();
            Set<String> used = usedIps(
                    working.stream().filter(c -> c.hostId().equals(hostId)).toList());
            return host.pool()
                    .firstFree(used)
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
