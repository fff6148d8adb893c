package io.wharf.server.cluster;

import io.wharf.client.wire.Desired;
import io.wharf.client.wire.Registration;
import io.wharf.core.NotFoundException;
import io.wharf.core.cluster.ContainerRecord;
import io.wharf.core.cluster.ImageRecord;
import io.wharf.core.placement.IpPool;
import io.wharf.core.registry.ServiceKey;
import io.wharf.core.spec.ImageRef;
import io.wharf.core.spec.ServiceSpec;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the {@link Scheduler}'s plans to the container table, under its lock: brings a service's rows in
 * line with its count, places the ordinals an operation asks for, and takes containers back.
 */
public final class Placement {
    private static final Logger log = LoggerFactory.getLogger(Placement.class);

    private final Specs specs;
    private final Hosts hosts;
    private final ContainerTable table;
    private final Volumes volumes;
    private final AssignmentRevisions revisions;
    private final Clock clock;
    /** The kind of an image's package, if it was pushed: which runtime runs it. */
    private final Function<ImageRef, Optional<ImageRecord.Kind>> kinds;
    /** Per service, why containers it should have wait for room, as the last plan found. */
    private final Map<ServiceKey, String> pending = new ConcurrentHashMap<>();

    Placement(
            Specs specs,
            Hosts hosts,
            ContainerTable table,
            Volumes volumes,
            AssignmentRevisions revisions,
            Function<ImageRef, Optional<ImageRecord.Kind>> kinds,
            Clock clock) {
        this.kinds = kinds;
        this.specs = specs;
        this.hosts = hosts;
        this.table = table;
        this.volumes = volumes;
        this.revisions = revisions;
        this.clock = clock;
    }

    /** Why containers of {@code key} wait to be placed, if some do. */
    public Optional<String> pending(ServiceKey key) {
        return Optional.ofNullable(pending.get(key));
    }

    /** Brings a service's rows in line with its count; returns how many containers found no room. */
    public int reconcile(ServiceKey key) {
        return table.compute(w -> {
            var spec = specs.get(key);
            if (spec.isEmpty()) return 0;
            Scheduler.Plan plan = Scheduler.plan(
                    spec.get().withReplicas(specs.replicas(key)),
                    w.rows(),
                    hostViews(spec.get().image()),
                    reservations(),
                    clock.instant(),
                    List.of(),
                    pins(key));
            plan.place().forEach(c -> {
                insert(w, c, spec.get());
                log.info(
                        "container placed id={} host={} endpoint={} image={}",
                        c.id(),
                        c.hostId(),
                        c.endpoint(),
                        c.image());
            });
            // a surplus is not stopped here: a scale-in drains it first (io.wharf.server.scalein)
            pending(key, plan);
            return plan.unplaced();
        });
    }

    /**
     * The running containers of {@code key} beyond its count, highest ordinals first: what a scale-in drains
     * and stops.
     */
    public List<ContainerRecord> surplus(ServiceKey key) {
        return table.compute(w -> {
            var spec = specs.get(key);
            if (spec.isEmpty()) return List.<ContainerRecord>of();
            List<ContainerRecord> mine = w.rows().stream()
                    .filter(c -> c.service().equals(key) && c.desired() == Desired.RUNNING)
                    .sorted(java.util.Comparator.comparingInt(ContainerRecord::ordinal)
                            .reversed())
                    .toList();
            int extra = mine.size() - specs.replicas(key);
            return extra <= 0 ? List.<ContainerRecord>of() : mine.subList(0, extra);
        });
    }

    /**
     * Stops containers {@code ids} of {@code key} without touching its count: the last step of a scale-in,
     * once they are drained.
     */
    public void stop(ServiceKey key, List<String> ids, String owner) {
        table.change(w -> markStopped(w, key, ids, "stopped", owner));
    }

    /** Reconciles every service. */
    public void reconcileAll() {
        specs.all().forEach(s -> reconcile(s.key()));
    }

    /**
     * Places containers {@code ordinals} of {@code key}, running {@code image}, with their agents' registration
     * switched as {@code registration} says, and raises the service's count to cover them (owned by {@code
     * owner}). A container that exists already is left as it is, so asking again never creates one twice.
     * New rows reach their hosts' agents, which load the image and start them (claims 000.6, 000.7).
     *
     * @return the ordinals that found no room on any ready host
     * @throws NotFoundException if the service has no spec
     */
    public List<Integer> place(
            ServiceKey key, List<Integer> ordinals, ImageRef image, Registration registration, String owner) {
        return table.compute(w -> {
            ServiceSpec spec = specs.get(key).orElseThrow(() -> new NotFoundException("service spec", key.toString()));
            Set<String> ids = Set.copyOf(
                    ordinals.stream().map(o -> ContainerRecord.idOf(key, o)).toList());
            List<Integer> absent = ordinals.stream()
                    .filter(o -> table.get(ContainerRecord.idOf(key, o)).isEmpty())
                    .toList();
            if (absent.isEmpty()) return List.of();
            long running = running(w.rows(), key);
            specs.scale(key, (int) Math.max(specs.replicas(key), running + absent.size()), owner);
            Scheduler.Plan plan = Scheduler.plan(
                    spec.withImage(image).withReplicas(specs.replicas(key)),
                    w.rows(),
                    hostViews(image),
                    reservations(),
                    clock.instant(),
                    absent,
                    pins(key));
            pending(key, plan);
            for (ContainerRecord placed : plan.place()) {
                if (!ids.contains(placed.id())) continue;
                ContainerRecord c = placed.withRegistration(registration, placed.updatedAt());
                insert(w, c, spec);
                log.info(
                        "container placed id={} host={} endpoint={} image={} registration={} by=\"{}\"",
                        c.id(),
                        c.hostId(),
                        c.endpoint(),
                        c.image(),
                        registration,
                        owner);
            }
            return absent.stream()
                    .filter(o -> table.get(ContainerRecord.idOf(key, o)).isEmpty())
                    .toList();
        });
    }

    /**
     * Stops the containers {@code ids} of {@code key} and lowers the service's count by as many as were
     * running, so that no other container takes their place: a scale-out taken back, or the endpoint a
     * start-first release replaced.
     */
    public void takeBack(ServiceKey key, List<String> ids, String owner) {
        table.change(w -> {
            markStopped(w, key, ids, "taken back", owner);
            // what is left running; asked again after a crash, it narrows the count all the same
            long running = running(w.rows(), key);
            specs.scale(key, (int) Math.min(specs.replicas(key), running), owner);
        });
    }

    /** Marks the running containers {@code ids} of {@code key} to stop. */
    private void markStopped(ContainerTable.Writer w, ServiceKey key, List<String> ids, String how, String owner) {
        for (String id : ids) {
            table.get(id)
                    .filter(c -> c.service().equals(key) && c.desired() == Desired.RUNNING)
                    .ifPresent(c -> {
                        w.update(c.withDesired(Desired.STOPPED, clock.instant()));
                        log.info("container {} id={} host={} by=\"{}\"", how, id, c.hostId(), owner);
                    });
        }
    }

    /** Rows of containers that should stop and that their agent no longer runs are done with. */
    public void forgetStopped(HostState host) {
        table.change(w -> {
            for (ContainerRecord c : table.onHost(host.record().id())) {
                if (c.desired() == Desired.STOPPED && host.observed(c.id()).isEmpty()) {
                    w.delete(c);
                    log.info("container removed id={} host={}", c.id(), c.hostId());
                }
            }
        });
    }

    /**
     * Inserts a placed row with its volumes bound to its host. A stateful service's every container learns its
     * peers from its assignment, so all of their hosts hear of a new one.
     */
    private void insert(ContainerTable.Writer w, ContainerRecord c, ServiceSpec spec) {
        volumes.bind(c, spec);
        w.insert(c);
        if (spec.stateful()) {
            w.rows().stream()
                    .filter(o -> o.service().equals(c.service()))
                    .map(ContainerRecord::hostId)
                    .distinct()
                    .forEach(revisions::bump);
        }
    }

    private void pending(ServiceKey key, Scheduler.Plan plan) {
        if (plan.unplaced() == 0) {
            pending.remove(key);
            return;
        }
        String was = pending.put(key, plan.pending());
        if (!plan.pending().equals(was)) {
            log.warn("no room service={} unplaced={} reason=\"{}\"", key, plan.unplaced(), plan.pending());
        }
    }

    private Scheduler.Pins pins(ServiceKey key) {
        return ordinal -> volumes.pin(key, ordinal);
    }

    private static long running(Collection<ContainerRecord> rows, ServiceKey key) {
        return rows.stream()
                .filter(c -> c.service().equals(key) && c.desired() == Desired.RUNNING)
                .count();
    }

    /** The hosts as placement sees them, for a container running {@code image}. */
    private List<Scheduler.HostView> hostViews(ImageRef image) {
        // an image not pushed (yet) places as before: its agent reports it missing
        Optional<ImageRecord.Kind> kind = kinds.apply(image);
        return hosts.all().stream()
                .map(h -> new Scheduler.HostView(
                        h.record().id(),
                        hosts.ready(h),
                        IpPool.parse(h.record().ipPool()),
                        h.record().cpuMillis(),
                        h.record().memoryMb(),
                        h.usage()
                                .filter(u -> u.diskFreeMb() >= 0)
                                .map(u -> u.diskFreeMb()
                                        - volumes.promisedMb(h.record().id()))
                                .orElse(Long.MAX_VALUE),
                        h.record().runtime(),
                        kind.map(k -> h.record().runs(k)).orElse(true)))
                .toList();
    }

    private Scheduler.Reservations reservations() {
        return new Scheduler.Reservations() {
            @Override
            public long cpuMillis(ContainerRecord c) {
                return specs.get(c.service())
                        .map(s -> Math.round(s.cpu() * 1000))
                        .orElse(0L);
            }

            @Override
            public long memoryMb(ContainerRecord c) {
                return specs.get(c.service()).map(ServiceSpec::memoryMb).orElse(0L);
            }
        };
    }
}
