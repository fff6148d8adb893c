package io.wharf.server.operation;

import io.wharf.client.wire.ContainerReport;
import io.wharf.client.wire.ContainerState;
import io.wharf.client.wire.Desired;
import io.wharf.client.wire.RegisteredBy;
import io.wharf.client.wire.Registration;
import io.wharf.client.wire.Served;
import io.wharf.core.cluster.ContainerRecord;
import io.wharf.core.registry.ServiceKey;
import io.wharf.core.spec.ImageRef;
import io.wharf.core.spec.ServiceSpec;
import io.wharf.core.spec.SpecParser;
import io.wharf.server.cluster.ClusterView;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.HdrHistogram.Histogram;

/**
 * A cluster for operations to run against in tests (Nomad's scheduler harness): it answers views from plain
 * maps, applies intents to them and records each, and moves the world on when told — agents start what their
 * rows say and check it by each version's behaviour, load balancers and watchers catch up with the registry.
 */
public final class FakeCluster implements ViewSource, IntentApplier {
    /** How a version behaves once started. */
    public enum Behaviour {
        /** Passes its health checks. */
        HEALTHY,
        /** Runs, and fails every health check. */
        UNHEALTHY,
        /** Exits after each start. */
        CRASHING,
        /** Never seen running: its agent does not start it (a host that cannot run it). */
        NEVER_STARTS,
        /** Runs, and never opens its port: its agent counts no check of it. */
        NEVER_LISTENS
    }

    public final MutableClock clock;
    public final List<Intent> applied = new ArrayList<>();
    public final List<String> owners = new ArrayList<>();
    /** When set, places find no room. */
    public boolean noRoom;
    /** When set, applying any intent throws. */
    public boolean broken;

    private final long registryStart = 1000;
    private long revision = registryStart;
    private final Map<ServiceKey, ServiceSpec> specs = new LinkedHashMap<>();
    private final Map<ServiceKey, Integer> scales = new HashMap<>();
    private final Map<String, ContainerRecord> rows = new TreeMap<>();
    private final Map<String, ContainerReport> observed = new HashMap<>();
    private final Map<String, Instant> hostReadySince = new TreeMap<>();
    private final Map<String, Boolean> hostReady = new TreeMap<>();
    private final Map<ServiceKey, Map<String, ClusterView.RegisteredView>> registered = new HashMap<>();
    private final Map<ServiceKey, Map<String, Long>> removals = new HashMap<>();
    private final Map<ServiceKey, Map<String, Long>> watchers = new HashMap<>();
    /** Watchers that never declared that they acknowledge: listed, never awaited. */
    private final Map<ServiceKey, Set<String>> onlookers = new HashMap<>();

    private final Map<ServiceKey, Map<String, Lb>> lbs = new HashMap<>();
    private final Map<String, List<String>> images = new LinkedHashMap<>();
    private final Map<String, Behaviour> behaviour = new HashMap<>();
    private final Map<String, Integer> nextIp = new HashMap<>();

    /** One load balancer's view of one service. */
    private static final class Lb {
        long revision;
        final Map<String, Integer> inFlight = new HashMap<>();
        final Map<String, long[]> counts = new HashMap<>(); // requests, failures, micros
        final Map<String, Histogram> latency = new HashMap<>();
    }

    public FakeCluster(Instant start) {
        this.clock = new MutableClock(start);
    }

    // ---- set-up

    public FakeCluster host(String id) {
        hostReady.put(id, true);
        hostReadySince.put(id, clock.instant());
        nextIp.put(id, 2);
        return this;
    }

    public FakeCluster image(String name, String... versions) {
        for (String v : versions)
            images.computeIfAbsent(name, n -> new ArrayList<>()).add(v);
        return this;
    }

    public FakeCluster behaves(String version, Behaviour b) {
        behaviour.put(version, b);
        return this;
    }

    /** A service of image {@code demo:VERSION} with the given label, its spec and no containers yet. */
    public ServiceKey service(String name, String version, int replicas, Map<String, String> labels) {
        ServiceSpec spec = SpecParser.parse(Map.of(
                "name",
                name,
                "image",
                "demo:" + version,
                "replicas",
                replicas,
                "ports",
                List.of(Map.of("port", 8080)),
                "labels",
                labels));
        specs.put(spec.key(), spec);
        return spec.key();
    }

    /** Replaces a service's spec with {@code spec}. */
    public FakeCluster spec(ServiceSpec spec) {
        specs.put(spec.key(), spec);
        return this;
    }

    /** A running, healthy, registered container of {@code key} on {@code host}. */
    public String container(ServiceKey key, int ordinal, String host, String version) {
        ContainerRecord c = row(key, ordinal, host, version, Registration.ACTIVE);
        rows.put(c.id(), c);
        observed.put(c.id(), report(c.id(), version, true, 5, 0));
        put(key, c.endpoint().toString(), version, RegisteredBy.AGENT);
        return c.id();
    }

    private ContainerRecord row(ServiceKey key, int ordinal, String host, String version, Registration reg) {
        int ip = nextIp.merge(host, 1, Integer::sum) - 1;
        String pool = "127.0." + (10 + List.copyOf(hostReady.keySet()).indexOf(host)) + ".";
        Instant now = clock.instant();
        return new ContainerRecord(
                ContainerRecord.idOf(key, ordinal),
                key,
                ordinal,
                host,
                new ImageRef("demo", version),
                pool + ip,
                8080,
                Desired.RUNNING,
                reg,
                now,
                now);
    }

    private static ContainerReport report(String id, String version, boolean healthy, int checks, int restarts) {
        return new ContainerReport(
                id,
                ContainerState.RUNNING,
                100,
                healthy,
                healthy,
                restarts,
                "",
                0,
                0,
                "demo:" + version,
                checks,
                0,
                0,
                0);
    }

    /** A load balancer on {@code host} that serves {@code key}, up to date. */
    public FakeCluster loadBalancer(ServiceKey key, String host) {
        Lb lb = new Lb();
        lb.revision = revision;
        lbs.computeIfAbsent(key, k -> new TreeMap<>()).put(host, lb);
        return this;
    }

    /** A watcher of {@code key} that has acknowledged everything so far. */
    public FakeCluster watcher(ServiceKey key, String id) {
        watchers.computeIfAbsent(key, k -> new TreeMap<>()).put(id, revision);
        return this;
    }

    /** A watcher of {@code key} that never said it acknowledges (a {@code curl -N}) and never does. */
    public FakeCluster onlooker(ServiceKey key, String id) {
        onlookers.computeIfAbsent(key, k -> new TreeSet<>()).add(id);
        return this;
    }

    /** Sets the count of {@code key}, as a user's apply or the autoscaler does. */
    public void count(ServiceKey key, int replicas) {
        scales.put(key, replicas);
    }

    // ---- what the world does

    public void hostLost(String host) {
        hostReady.put(host, false);
    }

    public void hostBack(String host) {
        hostReady.put(host, true);
        hostReadySince.put(host, clock.instant());
    }

    /**
     * Agents converge: a row whose image its container does not run yet gets a new process; a running one has a
     * health-check round by its version's behaviour; endpoints of healthy, active containers are registered,
     * of others deregistered; stopped rows go.
     */
    public void agents() {
        for (ContainerRecord c : List.copyOf(rows.values())) {
            if (!hostReady.getOrDefault(c.hostId(), false)) continue;
            String endpoint = c.endpoint().toString();
            if (c.desired() == Desired.STOPPED) {
                rows.remove(c.id());
                observed.remove(c.id());
                if (byAgent(c.service(), endpoint)) remove(c.service(), endpoint);
                continue;
            }
            Behaviour b = behaviour.getOrDefault(c.image().version(), Behaviour.HEALTHY);
            ContainerReport o = observed.get(c.id());
            if (b == Behaviour.NEVER_STARTS) {
                observed.remove(c.id());
                continue;
            }
            if (o == null || !o.image().equals(c.image().toString())) {
                if (isRegistered(c.service(), endpoint) && c.registration() == Registration.ACTIVE) {
                    remove(c.service(), endpoint);
                }
                observed.put(c.id(), report(c.id(), c.image().version(), false, 0, 0));
                continue;
            }
            boolean healthy = b == Behaviour.HEALTHY;
            int restarts = b == Behaviour.CRASHING ? o.restarts() + 1 : o.restarts();
            int checks = b == Behaviour.NEVER_LISTENS ? 0 : o.checks() + 1;
            observed.put(c.id(), report(c.id(), c.image().version(), healthy, checks, restarts));
            if (c.registration() == Registration.ACTIVE) {
                if (healthy && !isRegistered(c.service(), endpoint)) {
                    put(c.service(), endpoint, c.image().version(), RegisteredBy.AGENT);
                } else if (!healthy && isRegistered(c.service(), endpoint)) {
                    remove(c.service(), endpoint);
                }
            }
        }
    }

    /** Load balancers apply the registry's latest revision and finish what they have in flight. */
    public void loadBalancers() {
        lbs.values().forEach(m -> m.values().forEach(lb -> {
            lb.revision = revision;
            lb.inFlight.clear();
        }));
    }

    /** Watchers acknowledge the registry's latest revision. */
    public void watchersAck() {
        watchers.values().forEach(m -> m.replaceAll((id, acked) -> revision));
    }

    /** Everything catches up: agents, load balancers, watchers. */
    public void world() {
        agents();
        loadBalancers();
        watchersAck();
    }

    /** Holds {@code n} requests in flight to {@code endpoint} on the load balancer of {@code host}. */
    public void inFlight(ServiceKey key, String host, String endpoint, int n) {
        lbs.get(key).get(host).inFlight.put(endpoint, n);
    }

    /** The load balancer of {@code host} served {@code n} requests of {@code endpoint}, each taking {@code each}. */
    public void served(ServiceKey key, String host, String endpoint, int n, int failed, Duration each) {
        Lb lb = lbs.get(key).get(host);
        long[] c = lb.counts.computeIfAbsent(endpoint, e -> new long[3]);
        c[0] += n;
        c[1] += failed;
        c[2] += (n - failed) * (each.toNanos() / 1000);
        Histogram h = lb.latency.computeIfAbsent(endpoint, e -> new Histogram(2));
        if (n - failed > 0) h.recordValueWithCount(each.toNanos() / 1000, n - failed);
    }

    /** Whether {@code endpoint} of {@code key} is in the registry now. */
    public boolean isRegistered(ServiceKey key, String endpoint) {
        return registered.getOrDefault(key, Map.of()).containsKey(endpoint);
    }

    private boolean byAgent(ServiceKey key, String endpoint) {
        var r = registered.getOrDefault(key, Map.of()).get(endpoint);
        return r != null;
    }

    public Optional<ContainerRecord> row(String id) {
        return Optional.ofNullable(rows.get(id));
    }

    public List<ContainerRecord> rows(ServiceKey key) {
        return rows.values().stream()
                .filter(c -> c.service().equals(key))
                .sorted(Comparator.comparingInt(ContainerRecord::ordinal))
                .toList();
    }

    public int replicas(ServiceKey key) {
        return scales.getOrDefault(key, specs.get(key).replicas());
    }

    public ServiceSpec spec(ServiceKey key) {
        return specs.get(key);
    }

    public long revision() {
        return revision;
    }

    public <T extends Intent> List<T> applied(Class<T> type) {
        return applied.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private void put(ServiceKey key, String endpoint, String version, RegisteredBy by) {
        revision++;
        registered
                .computeIfAbsent(key, k -> new TreeMap<>())
                .put(endpoint, new ClusterView.RegisteredView(endpoint, revision, version, by));
        removals.getOrDefault(key, new HashMap<>()).remove(endpoint);
    }

    private void remove(ServiceKey key, String endpoint) {
        if (registered.getOrDefault(key, new HashMap<>()).remove(endpoint) == null) return;
        revision++;
        removals.computeIfAbsent(key, k -> new HashMap<>()).put(endpoint, revision);
    }

    // ---- the engine's view of it

    @Override
    public ClusterView view(Set<ServiceKey> services) {
        Instant now = clock.instant();
        Map<String, ClusterView.HostView> hosts = new HashMap<>();
        hostReady.forEach((id, ready) ->
                hosts.put(id, new ClusterView.HostView(id, ready, hostReadySince.get(id), Optional.of("l-" + id))));
        Map<ServiceKey, ClusterView.ServiceView> out = new HashMap<>();
        for (ServiceKey key : services) {
            List<ClusterView.ContainerView> containers = rows(key).stream()
                    .map(c -> new ClusterView.ContainerView(
                            c,
                            Optional.ofNullable(observed.get(c.id())),
                            hostReady.getOrDefault(c.hostId(), false),
                            hostReadySince.getOrDefault(c.hostId(), Instant.EPOCH)))
                    .toList();
            List<ClusterView.WatcherView> ws = new ArrayList<>();
            watchers.getOrDefault(key, Map.of())
                    .forEach((id, acked) -> ws.add(new ClusterView.WatcherView(id, acked, true, true)));
            onlookers
                    .getOrDefault(key, Set.of())
                    .forEach(id -> ws.add(new ClusterView.WatcherView(id, 0, true, false)));
            List<ClusterView.LbView> lbViews = new ArrayList<>();
            lbs.getOrDefault(key, Map.of()).forEach((host, lb) -> {
                Map<String, Served> served = new HashMap<>();
                lb.counts.forEach((endpoint, c) ->
                        served.put(endpoint, new Served(c[0], c[1], c[2], encode(lb.latency.get(endpoint)))));
                lbViews.add(new ClusterView.LbView(
                        host, hostReady.getOrDefault(host, false), lb.revision, lb.inFlight, served));
            });
            out.put(
                    key,
                    new ClusterView.ServiceView(
                            key,
                            Optional.ofNullable(specs.get(key)),
                            specs.containsKey(key) ? replicas(key) : 0,
                            containers,
                            registered.getOrDefault(key, Map.of()),
                            removals.getOrDefault(key, Map.of()),
                            registryStart,
                            ws,
                            lbViews));
        }
        return new ClusterView(now, out, hosts, images);
    }

    private static String encode(Histogram h) {
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), n));
    }

    // ---- applying intents

    @Override
    public List<Outcome> apply(String owner, List<Intent> intents) {
        if (broken && !intents.isEmpty()) throw new IllegalStateException("the store is down");
        List<Outcome> outcomes = new ArrayList<>();
        for (Intent i : intents) {
            applied.add(i);
            owners.add(owner);
            switch (i) {
                case Intent.Place p -> place(p).ifPresent(outcomes::add);
                case Intent.TakeBack t -> {
                    for (String id : t.containers()) {
                        ContainerRecord c = rows.get(id);
                        if (c != null && c.desired() == Desired.RUNNING) {
                            rows.put(id, c.withDesired(Desired.STOPPED, clock.instant()));
                        }
                    }
                    long running = rows(t.service()).stream()
                            .filter(c -> c.desired() == Desired.RUNNING)
                            .count();
                    scales.put(t.service(), (int) Math.min(replicas(t.service()), running));
                }
                case Intent.Stop st -> {
                    for (String id : st.containers()) {
                        ContainerRecord c = rows.get(id);
                        if (c != null && c.desired() == Desired.RUNNING) {
                            rows.put(id, c.withDesired(Desired.STOPPED, clock.instant()));
                        }
                    }
                }
                case Intent.SetImage s ->
                    rows.computeIfPresent(
                            s.container(),
                            (id, c) -> c.withImage(new ImageRef(c.image().name(), s.version()), clock.instant()));
                case Intent.SetRegistration s ->
                    rows.computeIfPresent(
                            s.container(), (id, c) -> c.withRegistration(s.registration(), clock.instant()));
                case Intent.Register r -> {
                    ContainerRecord c = rows.get(r.container());
                    if (c != null) put(r.service(), c.endpoint().toString(), r.version(), RegisteredBy.RELEASE);
                }
                case Intent.Deregister d -> remove(d.service(), d.endpoint());
                case Intent.SetSpecImage s ->
                    specs.computeIfPresent(s.service(), (k, spec) -> spec.withImage(s.image()));
            }
        }
        return outcomes;
    }

    private Optional<Outcome> place(Intent.Place p) {
        List<Integer> absent = p.ordinals().stream()
                .filter(o -> !rows.containsKey(ContainerRecord.idOf(p.service(), o)))
                .toList();
        if (absent.isEmpty()) return Optional.empty();
        if (noRoom) return Optional.of(new Outcome.NoRoom(p.service(), absent));
        long running = rows(p.service()).stream()
                .filter(c -> c.desired() == Desired.RUNNING)
                .count();
        scales.put(p.service(), (int) Math.max(replicas(p.service()), running + absent.size()));
        List<String> ready = hostReady.entrySet().stream()
                .filter(Map.Entry::getValue)
                .map(Map.Entry::getKey)
                .toList();
        int n = 0;
        for (int o : absent) {
            String host = ready.get(n++ % ready.size());
            ContainerRecord c = row(p.service(), o, host, p.image().version(), p.registration());
            rows.put(c.id(), c);
        }
        return Optional.empty();
    }
}
