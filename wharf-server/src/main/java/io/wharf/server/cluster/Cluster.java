package io.wharf.server.cluster;

import io.wharf.client.wire.Desired;
import io.wharf.client.wire.Protocol;
import io.wharf.client.wire.Registration;
import io.wharf.core.ConflictException;
import io.wharf.core.InvalidInputException;
import io.wharf.core.NotFoundException;
import io.wharf.core.Violation;
import io.wharf.core.placement.IpPool;
import io.wharf.core.registry.Names;
import io.wharf.core.registry.ServiceKey;
import io.wharf.core.spec.ImageRef;
import io.wharf.core.spec.PortSpec;
import io.wharf.core.spec.ServiceSpec;
import io.wharf.server.registry.Registry;
import io.wharf.store.ContainerRecord;
import io.wharf.store.HostRecord;
import io.wharf.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster: specs applied by users, hosts joined by agents, and the container rows that connect them.
 * Desired state is written through to the store; what agents observe is kept in memory and refreshed by
 * every heartbeat.
 */
public final class Cluster {
    private static final Logger log = LoggerFactory.getLogger(Cluster.class);
    /** A host that has not reported for this long is lost; its endpoints' lease has lapsed by then too. */
    public static final Duration LOST_AFTER = Duration.ofSeconds(3);

    private final Store store;
    private final Registry registry;
    private final Images images;
    private final Clock clock;
    private final Map<ServiceKey, ServiceSpec> specs = new ConcurrentHashMap<>();
    private final Map<String, HostState> hosts = new ConcurrentHashMap<>();
    private final Map<String, ContainerRecord> containers = new ConcurrentHashMap<>();
    private final AtomicLong assignmentRevision = new AtomicLong();
    private final Object placement = new Object();
    private final List<Runnable> reportListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public Cluster(Store store, Registry registry, Images images, Clock clock) {
        this.store = store;
        this.registry = registry;
        this.images = images;
        this.clock = clock;
        for (ServiceKey key : store.cluster().specs()) {
            store.cluster().spec(key).map(SpecJson::read).ifPresent(spec -> specs.put(key, spec));
        }
        store.cluster().hosts().forEach(h -> hosts.put(h.id(), new HostState(h)));
        store.cluster().containers().forEach(c -> containers.put(c.id(), c));
        log.info("cluster loaded specs={} hosts={} containers={}", specs.size(), hosts.size(), containers.size());
    }

    public Images images() {
        return images;
    }

    // ---- specs

    /** Stores a spec and places or stops containers to match it. Returns the spec's generation. */
    public long apply(ServiceSpec spec) {
        if (images.find(spec.image()).isEmpty()) {
            throw InvalidInputException.of(
                    "image",
                    spec.image() + " has not been pushed (push it with: wharf image push " + spec.image()
                            + " PACKAGE)");
        }
        registry.requireNamespace(spec.key().namespace());
        checkExternalPorts(spec);
        store.ensureService(spec.key());
        long generation = store.cluster().putSpec(spec.key(), SpecJson.write(spec));
        ServiceSpec before = specs.put(spec.key(), spec);
        if (before == null ? !routes(spec).isEmpty() : !routes(before).equals(routes(spec))) {
            hosts.keySet().forEach(this::bump); // every host's load balancer serves every published port
        }
        log.info(
                "spec applied service={} image={} replicas={} generation={}",
                spec.key(),
                spec.image(),
                spec.replicas(),
                generation);
        reconcile(spec.key());
        return generation;
    }

    /** A published port of a service, as load balancers serve it (claim 004.4). */
    public record LbRoute(
            ServiceKey service,
            Protocol protocol,
            int external,
            int port,
            String contextPath,
            String rule,
            Optional<String> hashHeader,
            Duration slowStart) {}

    private static List<LbRoute> routes(ServiceSpec spec) {
        List<LbRoute> out = new ArrayList<>();
        for (PortSpec p : spec.ports()) {
            p.external()
                    .ifPresent(ext -> out.add(new LbRoute(
                            spec.key(),
                            p.protocol(),
                            ext,
                            p.port(),
                            p.contextPath(),
                            spec.loadBalancer().rule(),
                            spec.loadBalancer().hashHeader(),
                            spec.loadBalancer().slowStart())));
        }
        return out;
    }

    /** Every published port of every service: what each host's load balancer serves. */
    public List<LbRoute> loadBalancerRoutes() {
        return specs().stream().flatMap(s -> routes(s).stream()).toList();
    }

    /**
     * Refuses a spec whose published ports collide with another service's: a TCP port is one service's; an
     * HTTP port is shared only by HTTP routes with different context paths.
     */
    private void checkExternalPorts(ServiceSpec spec) {
        List<Violation> wrong = new ArrayList<>();
        List<LbRoute> mine = routes(spec);
        for (int i = 0; i < mine.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (collide(mine.get(i), mine.get(j))) {
                    wrong.add(new Violation(
                            "ports[" + i + "].external",
                            mine.get(i).external() + " is already published by ports[" + j + "]"));
                }
            }
        }
        if (!wrong.isEmpty()) throw new InvalidInputException(wrong);
        for (LbRoute other : loadBalancerRoutes()) {
            if (other.service().equals(spec.key())) continue;
            for (LbRoute r : mine) {
                if (collide(r, other)) {
                    throw new ConflictException("external port " + r.external()
                            + (r.protocol() == Protocol.HTTP && other.protocol() == Protocol.HTTP
                                    ? " with context path " + r.contextPath()
                                    : "")
                            + " is already published by " + other.service() + " (" + other.protocol() + " "
                            + other.contextPath() + ")");
                }
            }
        }
    }

    private static boolean collide(LbRoute a, LbRoute b) {
        if (a.external() != b.external()) return false;
        if (a.protocol() == Protocol.TCP || b.protocol() == Protocol.TCP) return true;
        return a.contextPath().equals(b.contextPath());
    }

    /**
     * What each host's load balancer reports of {@code key}: revision applied, requests in flight, and what
     * each endpoint has served.
     */
    public record HostLoad(
            String host,
            String address,
            long revision,
            Map<String, Integer> inFlight,
            Map<String, Reports.Served> served) {}

    public List<HostLoad> load(ServiceKey key) {
        registry.requireNamespace(key.namespace());
        List<HostLoad> out = new ArrayList<>();
        for (HostState h : hosts.values()) {
            h.loadBalancer().ifPresent(lb -> lb.services().stream()
                    .filter(s ->
                            s.namespace().equals(key.namespace()) && s.service().equals(key.service()))
                    .forEach(s -> out.add(
                            new HostLoad(h.record().id(), lb.address(), s.revision(), s.inFlight(), s.served()))));
        }
        out.sort(Comparator.comparing(HostLoad::host));
        return out;
    }

    public Optional<ServiceSpec> spec(ServiceKey key) {
        return Optional.ofNullable(specs.get(key));
    }

    public List<ServiceSpec> specs() {
        return specs.values().stream()
                .sorted(Comparator.comparing(s -> s.key().toString()))
                .toList();
    }

    // ---- scale-out (claims 000.3, 000.6, 000.7)

    /** The containers of {@code key} that should run, by ordinal. */
    public List<ContainerRecord> running(ServiceKey key) {
        return containers.values().stream()
                .filter(c -> c.service().equals(key) && c.desired() == Desired.RUNNING)
                .sorted(Comparator.comparingInt(ContainerRecord::ordinal))
                .toList();
    }

    /** The highest ordinal any row of {@code key} has, running or stopping; -1 if none. */
    public int highestOrdinal(ServiceKey key) {
        return containers.values().stream()
                .filter(c -> c.service().equals(key))
                .mapToInt(ContainerRecord::ordinal)
                .max()
                .orElse(-1);
    }

    /**
     * Places containers {@code ordinals} of {@code key}, running {@code image}, and raises the spec's replicas
     * to cover them. A container that exists already is left as it is, so calling this again after a crash
     * never creates one twice. New rows enter the container table (claim 000.6) and reach their hosts' agents,
     * which load the image's package and start them (claim 000.7).
     *
     * @return the ordinals that found no room on any ready host
     */
    public List<Integer> placeScaleOut(ServiceKey key, List<Integer> ordinals, ImageRef image) {
        return place(key, ordinals, image, Registration.ACTIVE);
    }

    /**
     * Places containers {@code ordinals} of {@code key} beside the running ones, as {@link #placeScaleOut}
     * does, with their agents' registration switched as {@code registration} says.
     *
     * @return the ordinals that found no room on any ready host
     */
    public List<Integer> place(ServiceKey key, List<Integer> ordinals, ImageRef image, Registration registration) {
        synchronized (placement) {
            ServiceSpec spec = specs.get(key);
            if (spec == null) {
                throw new NotFoundException("service spec", key.toString());
            }
            List<Integer> absent = ordinals.stream()
                    .filter(o -> !containers.containsKey(ContainerRecord.idOf(key, o)))
                    .toList();
            // replicas cover what runs and what is to be added; after a crash between the two writes the
            // spec is already wide enough and stays as it is
            int replicas = Math.max(spec.replicas(), running(key).size() + absent.size());
            if (replicas != spec.replicas()) {
                ServiceSpec wider = spec.withReplicas(replicas);
                store.cluster().putSpec(key, SpecJson.write(wider));
                specs.put(key, wider);
            }
            Scheduler.Plan plan = Scheduler.plan(
                    specs.get(key).withImage(image),
                    containers.values(),
                    hostViews(),
                    reservations(),
                    clock.instant(),
                    absent);
            for (ContainerRecord placed : plan.place()) {
                if (!absent.contains(placed.ordinal())) continue;
                ContainerRecord c = placed.withRegistration(registration, placed.updatedAt());
                store.cluster().insertContainer(c);
                containers.put(c.id(), c);
                log.info(
                        "container placed id={} host={} endpoint={} image={} registration={}",
                        c.id(),
                        c.hostId(),
                        c.endpoint(),
                        c.image(),
                        registration);
                bump(c.hostId());
            }
            return ordinals.stream()
                    .filter(o -> !containers.containsKey(ContainerRecord.idOf(key, o)))
                    .toList();
        }
    }

    /**
     * Stops the containers {@code ids} of {@code key} and lowers the spec's replicas by as many as were
     * running, so that no other container takes their place: a scale-out taken back, or the endpoint a
     * start-first release replaced.
     */
    public void takeBack(ServiceKey key, List<String> ids) {
        synchronized (placement) {
            ServiceSpec spec = specs.get(key);
            if (spec == null) return;
            for (String id : ids) {
                ContainerRecord c = containers.get(id);
                if (c == null || !c.service().equals(key) || c.desired() != Desired.RUNNING) {
                    continue;
                }
                ContainerRecord updated = c.withDesired(Desired.STOPPED, clock.instant());
                store.cluster().updateContainer(updated);
                containers.put(id, updated);
                log.info("container taken back id={} host={}", id, c.hostId());
                bump(c.hostId());
            }
            // what is left running; a retry after a crash between the two writes narrows the spec all the same
            int replicas = Math.max(0, Math.min(spec.replicas(), running(key).size()));
            if (replicas != spec.replicas()) {
                ServiceSpec narrower = spec.withReplicas(replicas);
                store.cluster().putSpec(key, SpecJson.write(narrower));
                specs.put(key, narrower);
            }
        }
    }

    private List<Scheduler.HostView> hostViews() {
        long now = System.nanoTime();
        return hosts.values().stream()
                .map(h -> new Scheduler.HostView(
                        h.record().id(),
                        h.ready(now, LOST_AFTER.toNanos()),
                        IpPool.parse(h.record().ipPool()),
                        h.record().cpuMillis(),
                        h.record().memoryMb()))
                .toList();
    }

    /** Brings a service's container rows in line with its spec; returns how many replicas found no room. */
    public int reconcile(ServiceKey key) {
        ServiceSpec spec = specs.get(key);
        if (spec == null) {
            return 0;
        }
        synchronized (placement) {
            Scheduler.Plan plan =
                    Scheduler.plan(spec, containers.values(), hostViews(), reservations(), clock.instant());
            for (ContainerRecord c : plan.place()) {
                store.cluster().insertContainer(c);
                containers.put(c.id(), c);
                log.info(
                        "container placed id={} host={} endpoint={} image={}",
                        c.id(),
                        c.hostId(),
                        c.endpoint(),
                        c.image());
                bump(c.hostId());
            }
            for (ContainerRecord c : plan.stop()) {
                store.cluster().updateContainer(c);
                containers.put(c.id(), c);
                log.info("container to stop id={} host={}", c.id(), c.hostId());
                bump(c.hostId());
            }
            if (plan.unplaced() > 0) {
                log.warn(
                        "no room service={} unplaced={} (no ready host with capacity and free IPs)",
                        key,
                        plan.unplaced());
            }
            return plan.unplaced();
        }
    }

    private Scheduler.Reservations reservations() {
        return new Scheduler.Reservations() {
            @Override
            public long cpuMillis(ContainerRecord c) {
                ServiceSpec s = specs.get(c.service());
                return s == null ? 0 : Math.round(s.cpu() * 1000);
            }

            @Override
            public long memoryMb(ContainerRecord c) {
                ServiceSpec s = specs.get(c.service());
                return s == null ? 0 : s.memoryMb();
            }
        };
    }

    private void reconcileAll() {
        specs.keySet().forEach(this::reconcile);
    }

    // ---- hosts

    /** A host joins (or rejoins): recorded, given a registry lease for its endpoints, and offered work. */
    public HostView join(Reports.Join join) {
        Names.check("name", join.name());
        IpPool pool = IpPool.parse(join.ipPool());
        if (join.cpuMillis() < 0 || join.memoryMb() < 0) {
            throw InvalidInputException.of("capacity", "negative (expected: cpuMillis and memoryMb >= 0)");
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
                        n, join.address(), pool.toString(), join.cpuMillis(), join.memoryMb(), clock.instant())));
        HostRecord updated = new HostRecord(
                join.name(),
                join.address(),
                pool.toString(),
                join.cpuMillis(),
                join.memoryMb(),
                state.record().joinedAt());
        store.cluster().putHost(updated);
        state.record(updated);
        state.joined(System.nanoTime());
        ensureLease(state);
        log.info(
                "host joined host={} address={} pool={} cpu_millis={} memory_mb={}",
                join.name(),
                join.address(),
                pool,
                join.cpuMillis(),
                join.memoryMb());
        reconcileAll();
        return view(state);
    }

    /** A heartbeat: the host is alive, its lease (and so all its endpoints) renewed, its report kept. */
    public HostView heartbeat(String hostId, Reports.Heartbeat beat) {
        HostState state = host(hostId);
        boolean wasReady = state.ready(System.nanoTime(), LOST_AFTER.toNanos());
        state.reported(System.nanoTime(), beat);
        ensureLease(state);
        forgetStopped(state);
        if (!wasReady) {
            log.info("host ready host={}", hostId);
            reconcileAll();
        }
        reportListeners.forEach(Runnable::run);
        return view(state);
    }

    /** Runs {@code listener} after every heartbeat has been taken in (it must return quickly). */
    public void onReport(Runnable listener) {
        reportListeners.add(listener);
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
        state.leaseId(registry.grantLease(LOST_AFTER).id());
    }

    /** Rows of containers that should stop and that the agent no longer runs are done with. */
    private void forgetStopped(HostState state) {
        for (ContainerRecord c : List.copyOf(containers.values())) {
            if (c.hostId().equals(state.record().id())
                    && c.desired() == Desired.STOPPED
                    && state.observed(c.id()).isEmpty()) {
                store.cluster().deleteContainer(c.id());
                containers.remove(c.id());
                log.info("container removed id={} host={}", c.id(), c.hostId());
                bump(c.hostId());
            }
        }
    }

    private HostState host(String id) {
        HostState state = hosts.get(id);
        if (state == null) {
            throw new NotFoundException("host", id);
        }
        return state;
    }

    private void bump(String hostId) {
        HostState state = hosts.get(hostId);
        if (state != null) {
            state.bump(assignmentRevision.incrementAndGet());
        }
    }

    /** A host's state for the API. */
    public record HostView(
            HostRecord record,
            boolean ready,
            long lastSeenMillisAgo,
            String leaseId,
            Optional<Reports.Usage> usage,
            int containers,
            Optional<Reports.LoadBalancer> loadBalancer) {}

    private HostView view(HostState s) {
        long now = System.nanoTime();
        int count = (int) containers.values().stream()
                .filter(c -> c.hostId().equals(s.record().id()))
                .count();
        return new HostView(
                s.record(),
                s.ready(now, LOST_AFTER.toNanos()),
                Duration.ofNanos(now - s.lastSeenNanos()).toMillis(),
                s.leaseId().orElse(""),
                s.usage(),
                count,
                s.loadBalancer());
    }

    public List<HostView> hosts() {
        return hosts.values().stream()
                .map(this::view)
                .sorted(Comparator.comparing(v -> v.record().id()))
                .toList();
    }

    // ---- containers and assignments

    /** A container row with what its agent last said of it. */
    public record ContainerView(ContainerRecord record, Optional<Reports.Container> observed) {}

    public List<ContainerView> containers() {
        List<ContainerView> out = new ArrayList<>();
        containers.values().stream()
                .sorted(Comparator.comparing((ContainerRecord c) -> c.service().toString())
                        .thenComparingInt(ContainerRecord::ordinal))
                .forEach(c -> out.add(new ContainerView(
                        c, Optional.ofNullable(hosts.get(c.hostId())).flatMap(h -> h.observed(c.id())))));
        return out;
    }

    public ContainerView container(String id) {
        ContainerRecord c = containers.get(id);
        if (c == null) {
            throw new NotFoundException("container", id);
        }
        return new ContainerView(c, Optional.ofNullable(hosts.get(c.hostId())).flatMap(h -> h.observed(c.id())));
    }

    /**
     * Turns the agent's registration of a container's endpoint off ({@code PAUSED}) or on ({@code ACTIVE}).
     * A paused endpoint is neither registered nor deregistered by its agent (claims 001.3, 001.7).
     */
    public ContainerView setRegistration(String id, Registration registration) {
        synchronized (placement) {
            ContainerRecord c = container(id).record();
            ContainerRecord updated = c.withRegistration(registration, clock.instant());
            store.cluster().updateContainer(updated);
            containers.put(id, updated);
            log.info("container registration id={} registration={}", id, registration);
            bump(c.hostId());
            return container(id);
        }
    }

    /**
     * Gives one container another version of its service's image (claim 001.5): its agent stops it and
     * starts the new package in its place, on the same IP and port.
     */
    public ContainerView setImage(String id, String version) {
        synchronized (placement) {
            ContainerRecord c = container(id).record();
            ImageRef image = new ImageRef(c.image().name(), version);
            if (images.find(image).isEmpty()) {
                throw InvalidInputException.of(
                        "version",
                        image + " has not been pushed (push it with: wharf image push " + image + " PACKAGE)");
            }
            if (image.equals(c.image())) {
                return container(id);
            }
            ContainerRecord updated = c.withImage(image, clock.instant());
            store.cluster().updateContainer(updated);
            containers.put(id, updated);
            log.info("container image id={} image={} (was {})", id, image, c.image());
            bump(c.hostId());
            return container(id);
        }
    }

    /** The registry lease of a host, on which its endpoints live; empty if it has none. */
    public Optional<String> hostLease(String hostId) {
        HostState h = hosts.get(hostId);
        return h == null ? Optional.empty() : h.leaseId();
    }

    /** Makes {@code image} the version the service's spec names, for the containers it places from now on. */
    public void setSpecImage(ServiceKey key, ImageRef image) {
        synchronized (placement) {
            ServiceSpec spec = specs.get(key);
            if (spec == null || spec.image().equals(image)) return;
            ServiceSpec changed = spec.withImage(image);
            store.cluster().putSpec(key, SpecJson.write(changed));
            specs.put(key, changed);
        }
    }

    /** What one host should run, at a revision. */
    public record Assignments(long revision, String leaseId, List<ContainerRecord> containers) {}

    public Assignments assignments(String hostId) {
        HostState state = host(hostId);
        // the revision first: a change made while the list is read bumps it past this, so the agent's next
        // long-poll returns at once instead of waiting with a stale list
        long revision = state.revision();
        List<ContainerRecord> mine = containers.values().stream()
                .filter(c -> c.hostId().equals(hostId))
                .sorted(Comparator.comparing(ContainerRecord::id))
                .toList();
        return new Assignments(revision, state.leaseId().orElse(""), mine);
    }

    /** Completes once the host's assignments pass {@code index}. */
    public CompletableFuture<Long> assignmentsAfter(String hostId, long index) {
        return host(hostId).changeAfter(index);
    }
}
