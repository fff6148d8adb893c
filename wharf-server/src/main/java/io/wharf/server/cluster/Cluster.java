package io.wharf.server.cluster;

import io.wharf.client.wire.ContainerState;
import io.wharf.client.wire.Desired;
import io.wharf.client.wire.Heartbeat;
import io.wharf.client.wire.HostJoin;
import io.wharf.client.wire.Registration;
import io.wharf.core.ConflictException;
import io.wharf.core.InvalidInputException;
import io.wharf.core.NotFoundException;
import io.wharf.core.cluster.ContainerRecord;
import io.wharf.core.cluster.ImageRecord;
import io.wharf.core.cluster.VolumeRecord;
import io.wharf.core.placement.IpPool;
import io.wharf.core.registry.EndpointId;
import io.wharf.core.registry.ServiceKey;
import io.wharf.core.spec.ImageRef;
import io.wharf.core.spec.ServiceSpec;
import io.wharf.server.registry.Registry;
import io.wharf.store.Store;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster, assembled from its parts — {@link Specs} (what users asked), {@link Hosts} (membership and
 * liveness), the {@link ContainerTable} and {@link Placement} — and the few changes that span them: applying
 * a spec, a host joining or reporting, and the assignments each agent converges on.
 */
public final class Cluster {
    private static final Logger log = LoggerFactory.getLogger(Cluster.class);

    private final Registry registry;
    private final Images images;
    private final Specs specs;
    private final Hosts hosts;
    private final ContainerTable containers;
    private final Volumes volumes;
    private final Placement placement;
    private final AssignmentRevisions revisions;
    private final ViewBuilder views;
    private final Clock clock;
    private final List<Runnable> reportListeners = new CopyOnWriteArrayList<>();
    /** Containers of stateful services held back from their agents by {@link #waits}. */
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();
    /** Containers of stateful services given to their agents since this server started: never held back again. */
    private final Set<String> released = ConcurrentHashMap.newKeySet();

    private final List<Runnable> applyListeners = new CopyOnWriteArrayList<>();

    public Cluster(Store store, Registry registry, Images images, Clock clock, Executor notifier) {
        this.registry = registry;
        this.images = images;
        this.clock = clock;
        this.revisions = new AssignmentRevisions(notifier);
        this.specs = new Specs(store.cluster(), clock);
        this.hosts = new Hosts(store.cluster(), registry, clock);
        this.containers = new ContainerTable(store.cluster(), revisions);
        this.volumes = new Volumes(store.cluster(), revisions, clock);
        this.placement = new Placement(
                specs,
                hosts,
                containers,
                volumes,
                revisions,
                ref -> images.find(ref).map(ImageRecord::kind),
                clock);
        this.views = new ViewBuilder(specs, hosts, containers, registry, images, clock);
        log.info(
                "cluster loaded specs={} hosts={} containers={}",
                specs.all().size(),
                hosts.all().size(),
                containers.all().size());
    }

    public Images images() {
        return images;
    }

    public Specs specs() {
        return specs;
    }

    public Hosts hosts() {
        return hosts;
    }

    public ContainerTable containers() {
        return containers;
    }

    public Placement placement() {
        return placement;
    }

    public Volumes volumes() {
        return volumes;
    }

    /**
     * Deletes the volumes of container {@code ordinal} of {@code key} (all, or the one named): their host's
     * agent removes them. Data is never removed otherwise.
     *
     * @throws ConflictException if a container of the ordinal runs
     * @throws NotFoundException if the ordinal has no volumes (of that name)
     */
    public List<VolumeRecord> deleteVolumes(ServiceKey key, int ordinal, Optional<String> name) {
        return containers.compute(w -> {
            String container = key.service() + "-" + ordinal;
            if (containers.get(ContainerRecord.idOf(key, ordinal)).isPresent()) {
                throw new ConflictException("container " + container + " of " + key + " is placed and uses its"
                        + " volumes; scale " + key.service() + " in below " + (ordinal + 1) + " first");
            }
            List<VolumeRecord> marked = volumes.delete(key, ordinal, name);
            if (marked.isEmpty()) {
                throw new NotFoundException(
                        "volume", key + "/" + container + name.map(n -> "/" + n).orElse(""));
            }
            return marked;
        });
    }

    /**
     * Stores a spec and places the containers it adds; those it takes away are drained by a scale-in
     * ({@link io.wharf.server.autoscale.Autoscaler}). Returns the spec's generation.
     *
     * @throws InvalidInputException if its image has not been pushed
     * @throws NotFoundException if its namespace does not exist
     */
    public long apply(ServiceSpec spec) {
        check(spec);
        registry.ensureService(spec.key());
        Specs.Put put = specs.put(spec);
        if (put.routesChanged()) {
            // every host's load balancer serves every published port
            revisions.bumpAll(hosts.all().stream().map(h -> h.record().id()).toList());
        }
        log.info(
                "spec applied service={} image={} replicas={} count={} generation={}",
                spec.key(),
                spec.image(),
                spec.replicas(),
                specs.replicas(spec.key()),
                put.generation());
        placement.reconcile(spec.key());
        applyListeners.forEach(Runnable::run);
        return put.generation();
    }

    /**
     * Checks that {@code spec} could be applied now, changing nothing: its image is pushed, its namespace
     * exists, its published ports are free.
     *
     * @throws InvalidInputException if its image has not been pushed, or its own ports collide
     * @throws NotFoundException if its namespace does not exist
     * @throws ConflictException if a port is published by another service
     */
    public void check(ServiceSpec spec) {
        if (images.find(spec.image()).isEmpty()) {
            throw InvalidInputException.of(
                    "image",
                    spec.image() + " has not been pushed (push it with: wharf image push " + spec.image()
                            + " PACKAGE)");
        }
        registry.requireNamespace(spec.key().namespace());
        specs.checkExternalPorts(spec);
    }

    /**
     * A host joins (or joins again) and is offered work.
     *
     * @throws ConflictException if it joins again with another IP pool while containers are placed on it
     */
    public HostState join(HostJoin join) {
        hosts.get(join.name()).ifPresent(known -> {
            String pool = known.record().ipPool();
            if (!IpPool.parse(pool).equals(IpPool.parse(join.ipPool()))
                    && !containers.onHost(join.name()).isEmpty()) {
                throw new ConflictException("host " + join.name() + " has containers on its IP pool " + pool
                        + "; it cannot join again with " + join.ipPool());
            }
        });
        HostState state = hosts.join(join);
        placement.reconcileAll();
        return state;
    }

    /**
     * Whether the registry has {@code key}'s endpoints back after the server started ({@link
     * io.wharf.server.registry.Settling}): each of its containers whose registration is active is registered
     * again, or its host has reported since the start that it is not running (backing off, failed, stopped).
     * A container its agent has not reported yet (a restarted agent adopts its containers a moment after its
     * first report) or reports running is waited for, even while it fails its checks: its agent may not have
     * checked it yet. The settling time bounds the wait.
     */
    public boolean settled(ServiceKey key) {
        Set<EndpointId> registered;
        try {
            registered =
                    registry.endpoints(key).stream().map(e -> e.endpoint().id()).collect(Collectors.toSet());
        } catch (NotFoundException noNamespace) {
            return true;
        }
        for (ContainerRecord c : containers.of(key)) {
            if (c.desired() != Desired.RUNNING
                    || c.registration() != Registration.ACTIVE
                    || registered.contains(c.endpoint())) {
                continue;
            }
            Optional<HostState> host = hosts.get(c.hostId());
            if (host.isEmpty()) continue;
            if (!host.get().hasReported()) return false; // its agent has not reported since the start
            boolean coming = host.get()
                    .observed(c.id())
                    .map(r -> r.state() == ContainerState.RUNNING || r.state() == ContainerState.STARTING)
                    .orElse(true);
            if (coming) return false; // its agent is adopting it, or registering it again
        }
        return true;
    }

    /**
     * Removes a host whose agent is out of contact: its container rows go (their services' containers are
     * placed again elsewhere), then the host.
     *
     * @throws ConflictException if its agent is in contact: stop it first, or it would join again
     */
    public void removeHost(String id) {
        HostState host = hosts.require(id);
        if (hosts.ready(host)) {
            throw new ConflictException("host " + id + " is ready; stop its agent first, or it would join again");
        }
        containers.change(w -> containers.onHost(id).forEach(w::delete));
        volumes.hostRemoved(id);
        hosts.remove(id);
        placement.reconcileAll();
    }

    /** A report from a host's agent: kept, its stopped containers forgotten, everyone waiting on it told. */
    public HostState heartbeat(String hostId, Heartbeat beat) {
        Hosts.Reported r = hosts.heartbeat(hostId, beat);
        volumes.reported(hostId, beat.volumes());
        placement.forgetStopped(r.host());
        wakeWaiting();
        if (r.becameReady()) {
            placement.reconcileAll();
        }
        reportListeners.forEach(Runnable::run);
        return r.host();
    }

    /** Runs {@code listener} after every spec applied (it must return quickly). */
    public void onApply(Runnable listener) {
        applyListeners.add(listener);
    }

    /** Runs {@code listener} after every report has been taken in (it must return quickly). */
    public void onReport(Runnable listener) {
        reportListeners.add(listener);
    }

    /** A snapshot of the cluster for long operations, with {@code services} in it. */
    public ClusterView view(Set<ServiceKey> services) {
        return views.build(services);
    }

    /**
     * Turns the agent's registration of a container's endpoint off ({@code PAUSED}) or on ({@code ACTIVE}). A
     * paused endpoint is neither registered nor deregistered by its agent (claims 001.3, 001.7).
     */
    public ContainerRecord setRegistration(String id, Registration registration) {
        return containers.compute(w -> {
            ContainerRecord c = containers.get(id).orElseThrow(() -> new NotFoundException("container", id));
            if (c.registration() == registration) return c;
            ContainerRecord updated = c.withRegistration(registration, clock.instant());
            w.update(updated);
            log.info("container registration id={} registration={}", id, registration);
            return updated;
        });
    }

    /**
     * Gives one container another version of its service's image (claim 001.5): its agent stops it and starts
     * the new package in its place, on the same IP and port.
     */
    public ContainerRecord setImage(String id, String version) {
        return containers.compute(w -> {
            ContainerRecord c = containers.get(id).orElseThrow(() -> new NotFoundException("container", id));
            ImageRef image = new ImageRef(c.image().name(), version);
            if (images.find(image).isEmpty()) {
                throw InvalidInputException.of(
                        "version",
                        image + " has not been pushed (push it with: wharf image push " + image + " PACKAGE)");
            }
            if (image.equals(c.image())) return c;
            ContainerRecord updated = c.withImage(image, clock.instant());
            w.update(updated);
            log.info("container image id={} image={} (was {})", id, image, c.image());
            return updated;
        });
    }

    /**
     * What one host should run, at a revision: its containers (less those of stateful services that wait for
     * the ones before them), the published routes, and the volume directories to delete.
     */
    public record Assignments(
            long revision,
            String leaseId,
            List<ContainerRecord> containers,
            List<LbRoute> routes,
            List<String> deleteVolumes) {}

    public Assignments assignments(String hostId) {
        HostState host = hosts.require(hostId);
        // the revision first: a change made while the rows are read raises it past this, so the agent's next
        // long-poll returns at once instead of waiting with stale rows
        long revision = revisions.revision(hostId);
        List<ContainerRecord> rows = containers.onHost(hostId);
        List<ContainerRecord> now = rows.stream().filter(c -> !waits(c)).toList();
        return new Assignments(
                revision, host.leaseId().orElse(""), now, specs.routes(), volumes.toDelete(hostId, rows));
    }

    /**
     * Whether container {@code c} of a stateful service waits to start (ordered start, like a StatefulSet's):
     * its agent has never been given it, and does not run it, and a container with a lower ordinal is not
     * healthy yet, or the service has fewer containers placed than its count (its peers, {@code WHARF_PEERS},
     * are not all known). A container once given to its agent is never held back again — an agent stops what
     * it is no longer given — and neither is one whose host has not reported since this server started (what
     * its agent runs is not known yet).
     */
    private boolean waits(ContainerRecord c) {
        if (c.desired() != Desired.RUNNING || released.contains(c.id())) return false;
        if (!specs.get(c.service()).map(ServiceSpec::stateful).orElse(false)) return false;
        Optional<HostState> host = hosts.get(c.hostId());
        if (host.isEmpty()
                || !host.get().hasReported()
                || host.get().observed(c.id()).isPresent()) {
            return release(c);
        }
        List<ContainerRecord> all = containers.running(c.service());
        if (all.size() < specs.replicas(c.service())) {
            if (waiting.add(c.id())) {
                log.info(
                        "container waits id={} for every container of {} to be placed (kind: stateful)",
                        c.id(),
                        c.service());
            }
            return true;
        }
        for (ContainerRecord before : all) {
            if (before.ordinal() >= c.ordinal()) break;
            boolean healthy = hosts.get(before.hostId())
                    .flatMap(h -> h.observed(before.id()))
                    .map(r -> r.healthy())
                    .orElse(false);
            if (!healthy) {
                if (waiting.add(c.id())) {
                    log.info("container waits id={} for {} to be healthy (kind: stateful)", c.id(), before.id());
                }
                return true;
            }
        }
        return release(c);
    }

    /** Gives container {@code c} to its agent from now on; false, for {@link #waits}. */
    private boolean release(ContainerRecord c) {
        released.add(c.id());
        waiting.remove(c.id());
        return false;
    }

    /** Tells the hosts of containers that wait (ordered start) when one of them may start. */
    private void wakeWaiting() {
        released.removeIf(id -> containers.get(id).isEmpty());
        for (String id : List.copyOf(waiting)) {
            Optional<ContainerRecord> c = containers.get(id);
            if (c.isEmpty()) {
                waiting.remove(id);
            } else if (!waits(c.get())) {
                revisions.bump(c.get().hostId());
            }
        }
    }

    /** Completes once the host's assignments pass {@code index}. */
    public CompletableFuture<Long> assignmentsAfter(String hostId, long index) {
        hosts.require(hostId);
        return revisions.changeAfter(hostId, index);
    }
}
