package io.wharf.lb.haproxy;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wharf.client.wire.EndpointState;
import io.wharf.client.wire.Protocol;
import io.wharf.core.registry.EndpointId;
import io.wharf.core.registry.ServiceKey;
import io.wharf.lb.DataPlane;
import io.wharf.lb.LbSettings;
import io.wharf.lb.Route;
import io.wharf.lb.Served;
import io.wharf.lb.ServiceLoad;
import io.wharf.lb.Traffic;
import io.wharf.lb.balance.BackendSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HAProxy as a host's data plane (claims 004.4, 004.5): the configuration rendered from the routes by {@link
 * HaproxyConfig} into {@code DIR/haproxy.cfg}, checked with {@code haproxy -c} before it is used (one that
 * fails is kept as {@code haproxy.cfg.rejected}, and the one running stays), HAProxy run in master-worker mode.
 * Each backend has endpoint slots; endpoint changes go through the runtime API ({@code set server … addr},
 * {@code weight}, {@code state ready|drain|maint}) without a reload. Only new frontends or backends, or a
 * backend out of free slots, make a reload: on the master socket, its listeners handed to the new worker,
 * the old one finishing its connections. An endpoint that leaves is put in maintenance — no new request — and
 * its slot is reused only once its sessions are done; {@link #load} reports those sessions as in flight.
 */
public final class HaproxyDataPlane implements DataPlane {
    private static final Logger log = LoggerFactory.getLogger(HaproxyDataPlane.class);
    /** Slots a backend starts with; doubled when they run out. */
    static final int SLOTS = 8;

    private final LbSettings settings;
    private final Path dir;
    private final HaproxyConfig config;
    private final RuntimeApi api;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    private final MeterRegistry meters;
    /** Where HAProxy logs each HTTP request: the per-request latency. */
    private final HaproxyRequestLog requestLog;
    /** HAProxy's {@code show stat}, read at most once a second for the meters. */
    private volatile List<Map<String, String>> stat = List.of();

    private volatile long statAt;
    /** The meters of each endpoint in a slot, by backend/server. */
    private final Map<String, List<Meter>> slotMeters = new HashMap<>();

    private final HaproxyProcess process;
    /** Adopted from an agent that ran before: its slots are read from HAProxy at the first {@link #serve}. */
    private boolean adopted;

    private volatile boolean closed;

    private List<Route> routes = List.of();
    private final Map<String, Backend> backends = new LinkedHashMap<>();
    private final Map<ServiceKey, Long> revisions = new HashMap<>();

    private static final class Slot {
        final String name;

        @Nullable
        EndpointId endpoint;

        int weight = 1;
        boolean draining;
        /** An endpoint that left, kept until its sessions are done. */
        @Nullable
        EndpointId leaving;

        Slot(String name) {
            this.name = name;
        }

        boolean free() {
            return endpoint == null && leaving == null;
        }
    }

    private record Backend(Route route, List<Slot> slots) {}

    private HaproxyDataPlane(
            LbSettings settings,
            Path dir,
            HaproxyConfig config,
            MeterRegistry meters,
            HaproxyProcess process,
            RuntimeApi api)
            throws IOException {
        this.meters = meters;
        this.settings = settings;
        this.dir = dir;
        this.config = config;
        this.api = api;
        this.process = process;
        this.requestLog = HaproxyRequestLog.open();
    }

    /**
     * A data plane on the HAProxy at {@code binary} (2.6 or newer), its files in {@code dir}, its configuration
     * from {@code config}.
     *
     * @throws IOException if HAProxy is missing or too old, saying which
     */
    public static HaproxyDataPlane create(LbSettings settings, Path dir, String binary, HaproxyConfig config)
            throws IOException {
        return create(settings, dir, binary, config, new SimpleMeterRegistry());
    }

    /**
     * As {@link #create(LbSettings, Path, String, HaproxyConfig)}, with HAProxy's counters of each endpoint in
     * {@code meters} under the built-in engine's names: {@code wharf.lb.requests} (a count and HAProxy's
     * average response time, no histogram), {@code wharf.lb.in.flight}, {@code wharf.lb.server.errors}.
     */
    public static HaproxyDataPlane create(
            LbSettings settings, Path dir, String binary, HaproxyConfig config, MeterRegistry meters)
            throws IOException {
        RuntimeApi api = new RuntimeApi(dir.resolve("stats.sock"));
        HaproxyDataPlane plane =
                new HaproxyDataPlane(settings, dir, config, meters, HaproxyProcess.of(dir, binary, api), api);
        plane.process.onDeath(plane::startAgain);
        plane.adopted = plane.process.adopt();
        return plane;
    }

    /** The slots of {@code be} as the adopted HAProxy has them ({@code show servers state}). */
    private List<Slot> slotsOf(String be, List<Map<String, String>> state) {
        List<Slot> slots = new ArrayList<>();
        for (Map<String, String> row : state) {
            if (!be.equals(row.get("be_name"))) continue;
            Slot s = new Slot(row.get("srv_name"));
            long admin = number(row, "srv_admin_state");
            // 0x01 forced maintenance (a free slot, or one whose endpoint left), 0x08 forced drain
            if ((admin & 0x01) == 0) {
                s.endpoint = new EndpointId(
                        row.get("srv_addr"), number(row, "srv_port").intValue());
                s.weight = number(row, "srv_uweight").intValue();
                s.draining = (admin & 0x08) != 0;
            }
            slots.add(s);
        }
        return slots.isEmpty() ? newSlots(0, SLOTS) : slots;
    }

    /** Where its configuration is. */
    public Path configFile() {
        return process.configFile();
    }

    @Override
    public synchronized Map<Integer, String> serve(List<Route> next) {
        if (!adopted && next.equals(routes) && process.running()) {
            return Map.of(); // what runs is what is asked: no reload for the agent's every assignment
        }
        List<Map<String, String>> adoptedState = List.of();
        if (adopted) {
            try {
                adoptedState = api.table("show servers state");
            } catch (IOException e) {
                log.warn("the adopted HAProxy's servers could not be read: {}", e.toString());
            }
            adopted = false;
        }
        Map<String, Backend> wanted = new LinkedHashMap<>();
        for (Route r : next) {
            String name = HaproxyConfig.backendName(r);
            if (wanted.containsKey(name)) continue;
            Backend had = backends.get(name);
            List<Slot> slots = had != null
                    ? had.slots()
                    : adoptedState.isEmpty() ? newSlots(0, SLOTS) : slotsOf(name, adoptedState);
            wanted.put(name, new Backend(r, slots));
        }
        List<Route> before = routes;
        Map<String, Backend> kept = new LinkedHashMap<>(backends);
        backends.clear();
        backends.putAll(wanted);
        routes = List.copyOf(next);
        String problem = writeAndLoad();
        if (problem != null) {
            backends.clear();
            backends.putAll(kept);
            routes = before;
            Map<Integer, String> failed = new LinkedHashMap<>();
            for (Route r : next) failed.put(r.externalPort(), problem);
            return failed;
        }
        slotsChanged();
        return Map.of();
    }

    private static List<Slot> newSlots(int from, int to) {
        List<Slot> slots = new ArrayList<>();
        for (int i = from; i < to; i++) slots.add(new Slot("s" + (i + 1)));
        return slots;
    }

    /** Renders, checks and loads the configuration; HAProxy's message if it could not. */
    private @Nullable String writeAndLoad() {
        try {
            Map<String, List<HaproxyConfig.Slot>> slots = new LinkedHashMap<>();
            for (var e : backends.entrySet()) {
                List<HaproxyConfig.Slot> s = new ArrayList<>();
                for (Slot slot : e.getValue().slots()) {
                    s.add(new HaproxyConfig.Slot(
                            slot.name,
                            Optional.ofNullable(slot.endpoint).map(EndpointId::ip),
                            slot.weight,
                            slot.draining));
                }
                slots.put(e.getKey(), s);
            }
            return process.load(config.render(
                    routes, slots, settings, dir.resolve("stats.sock").toString(), requestLog.address()));
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    @Override
    public synchronized void update(ServiceKey service, long revision, List<BackendSet.Member> endpoints) {
        Map<EndpointId, BackendSet.Member> wanted = new LinkedHashMap<>();
        for (BackendSet.Member m : endpoints) {
            if (m.state() == EndpointState.UP || m.state() == EndpointState.DRAINING) wanted.put(m.id(), m);
        }
        boolean grew = false;
        List<String> commands = new ArrayList<>();
        for (var e : backends.entrySet()) {
            Backend b = e.getValue();
            if (!b.route().service().equals(service)) continue;
            String be = e.getKey();
            Map<EndpointId, BackendSet.Member> missing = new LinkedHashMap<>(wanted);
            for (Slot s : b.slots()) {
                if (s.endpoint == null) continue;
                BackendSet.Member m = missing.remove(s.endpoint);
                if (m == null) {
                    // left: no new request; its slot waits for its sessions to end
                    commands.add("set server " + be + "/" + s.name + " state maint");
                    s.leaving = s.endpoint;
                    s.endpoint = null;
                    continue;
                }
                set(commands, be, s, m, false);
            }
            for (BackendSet.Member m : missing.values()) {
                Slot free = b.slots().stream().filter(Slot::free).findFirst().orElse(null);
                if (free == null && reclaim(be, b)) {
                    free = b.slots().stream().filter(Slot::free).findFirst().orElse(null);
                }
                if (free == null) {
                    int n = b.slots().size();
                    b.slots().addAll(newSlots(n, n * 2));
                    free = b.slots().get(n);
                    grew = true;
                }
                free.endpoint = m.id();
                commands.add("set server " + be + "/" + free.name + " addr " + m.id().ip() + " port "
                        + b.route().backendPort());
                set(commands, be, free, m, true);
            }
        }
        try {
            if (grew) {
                // out of slots: a configuration with more, holding every endpoint as it is now
                String problem = writeAndLoad();
                if (problem != null) throw new IOException(problem);
            } else {
                api.apply(commands);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("HAProxy did not take revision " + revision + " of " + service, e);
        }
        revisions.put(service, revision);
        meter();
        listeners.forEach(Runnable::run);
        slotsChanged();
    }

    /** Registers the meters of endpoints that took a slot, removes those of endpoints that left it. */
    private void meter() {
        Map<String, EndpointId> held = new HashMap<>();
        Map<String, ServiceKey> serviceOf = new HashMap<>();
        for (var e : backends.entrySet()) {
            for (Slot s : e.getValue().slots()) {
                if (s.endpoint == null) continue;
                held.put(e.getKey() + "/" + s.name + "/" + s.endpoint, s.endpoint);
                serviceOf.put(
                        e.getKey() + "/" + s.name + "/" + s.endpoint,
                        e.getValue().route().service());
            }
        }
        for (var it = slotMeters.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!held.containsKey(e.getKey())) {
                e.getValue().forEach(meters::remove);
                it.remove();
            }
        }
        for (var e : held.entrySet()) {
            if (slotMeters.containsKey(e.getKey())) continue;
            String server = e.getKey().substring(0, e.getKey().lastIndexOf('/'));
            ServiceKey service = serviceOf.get(e.getKey());
            Tags tags = Tags.of(
                    "namespace",
                    service.namespace(),
                    "service",
                    service.service(),
                    "endpoint",
                    e.getValue().toString());
            slotMeters.put(
                    e.getKey(),
                    List.<Meter>of(
                            FunctionTimer.builder(
                                            "wharf.lb.requests",
                                            this,
                                            p -> (long) p.counter(server, "stot"),
                                            p -> p.counter(server, "stot") * p.counter(server, "rtime"),
                                            TimeUnit.MILLISECONDS)
                                    .description("requests (HTTP) or connections (TCP) served, by endpoint, with"
                                            + " their duration (HAProxy: its average response time)")
                                    .tags(tags)
                                    .register(meters),
                            Gauge.builder("wharf.lb.in.flight", this, p -> p.counter(server, "scur"))
                                    .description("requests (HTTP) or connections (TCP) in flight, by endpoint")
                                    .tags(tags)
                                    .register(meters),
                            FunctionCounter.builder("wharf.lb.server.errors", this, p -> p.counter(server, "hrsp_5xx"))
                                    .description("answers with a 5xx status, by endpoint")
                                    .tags(tags)
                                    .register(meters)));
        }
    }

    /** A field of {@code show stat} for backend/server {@code server}, read again when a second old. */
    private double counter(String server, String field) {
        if (System.nanoTime() - statAt > TimeUnit.SECONDS.toNanos(1)) {
            try {
                stat = process.running() ? api.stat() : List.of();
            } catch (IOException e) {
                stat = List.of();
            }
            statAt = System.nanoTime();
        }
        for (Map<String, String> row : stat) {
            if (server.equals(row.get("pxname") + "/" + row.get("svname"))) return number(row, field);
        }
        return 0;
    }

    /** Frees the slots of endpoints that left and have no session left; whether any was. */
    private boolean reclaim(String be, Backend b) {
        boolean any = false;
        try {
            Map<String, Long> sessions = new HashMap<>();
            for (Map<String, String> row : api.stat()) {
                if (be.equals(row.get("pxname"))) sessions.put(row.get("svname"), number(row, "scur"));
            }
            for (Slot s : b.slots()) {
                if (s.leaving != null && sessions.getOrDefault(s.name, 1L) == 0) {
                    s.leaving = null;
                    any = true;
                }
            }
        } catch (IOException e) {
            log.debug("HAProxy's stats: {}", e.toString());
        }
        return any;
    }

    private static void set(List<String> commands, String be, Slot s, BackendSet.Member m, boolean joined) {
        boolean draining = m.state() == EndpointState.DRAINING;
        int weight = Math.max(0, Math.min(256, m.weight()));
        if (joined || weight != s.weight) commands.add("set server " + be + "/" + s.name + " weight " + weight);
        if (joined || draining != s.draining) {
            commands.add("set server " + be + "/" + s.name + " state " + (draining ? "drain" : "ready"));
        }
        s.weight = weight;
        s.draining = draining;
    }

    @Override
    public synchronized Map<Integer, Protocol> ports() {
        Map<Integer, Protocol> ports = new LinkedHashMap<>();
        for (Route r : routes) ports.putIfAbsent(r.externalPort(), r.protocol());
        return ports;
    }

    @Override
    public synchronized List<ServiceLoad> load() {
        List<Map<String, String>> stat;
        try {
            stat = process.running() ? api.stat() : List.of();
        } catch (IOException e) {
            stat = List.of();
        }
        Map<String, Map<String, String>> byServer = new HashMap<>();
        for (Map<String, String> row : stat) byServer.put(row.get("pxname") + "/" + row.get("svname"), row);
        Map<ServiceKey, Map<EndpointId, Integer>> inFlight = new LinkedHashMap<>();
        Map<ServiceKey, Map<EndpointId, Served>> served = new LinkedHashMap<>();
        Map<ServiceKey, Route> first = new LinkedHashMap<>();
        for (var e : backends.entrySet()) {
            Route r = e.getValue().route();
            first.putIfAbsent(r.service(), r);
            Map<EndpointId, Integer> flying = inFlight.computeIfAbsent(r.service(), k -> new LinkedHashMap<>());
            Map<EndpointId, Served> counts = served.computeIfAbsent(r.service(), k -> new LinkedHashMap<>());
            for (Slot s : e.getValue().slots()) {
                Map<String, String> row = byServer.getOrDefault(e.getKey() + "/" + s.name, Map.of());
                int sessions = number(row, "scur").intValue();
                if (s.leaving != null) {
                    if (sessions == 0) s.leaving = null; // done: the slot is free again
                    else flying.merge(s.leaving, sessions, Integer::sum);
                }
                if (s.endpoint != null) {
                    flying.merge(s.endpoint, sessions, Integer::sum);
                    long requests = number(row, "stot");
                    long failures = number(row, "hrsp_5xx") + number(row, "eresp") + number(row, "econ");
                    // the time of each request from HAProxy's log; the total from its average (ms, over its last
                    // 1,024 requests)
                    long avgMs = number(row, "rtime");
                    counts.put(
                            s.endpoint,
                            new Served(
                                    requests, failures, requests * avgMs * 1_000_000L, requestLog.latency(s.endpoint)));
                }
            }
        }
        List<ServiceLoad> out = new ArrayList<>();
        for (var e : first.entrySet()) {
            Route r = e.getValue();
            out.add(new ServiceLoad(
                    e.getKey(),
                    r.rule(),
                    r.slowStart(),
                    revisions.getOrDefault(e.getKey(), -1L),
                    Map.copyOf(inFlight.get(e.getKey())),
                    Map.copyOf(served.get(e.getKey()))));
        }
        slotsChanged();
        return out;
    }

    private static Long number(Map<String, String> row, String field) {
        String v = row.get(field);
        if (v == null || v.isEmpty()) return 0L;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return 0L;
        }
    }

    @Override
    public synchronized Map<String, Traffic> traffic() {
        Map<String, Traffic> out = new LinkedHashMap<>();
        try {
            Map<String, String> ipOf = new HashMap<>();
            for (var e : backends.entrySet()) {
                for (Slot s : e.getValue().slots()) {
                    EndpointId id = s.endpoint != null ? s.endpoint : s.leaving;
                    if (id != null) ipOf.put(e.getKey() + "/" + s.name, id.ip());
                }
            }
            for (Map<String, String> row : process.running() ? api.stat() : List.<Map<String, String>>of()) {
                String ip = ipOf.get(row.get("pxname") + "/" + row.get("svname"));
                if (ip == null) continue;
                Traffic t = new Traffic(number(row, "bin"), number(row, "bout"));
                out.merge(
                        ip,
                        t,
                        (a, b) -> new Traffic(a.toEndpoint() + b.toEndpoint(), a.fromEndpoint() + b.fromEndpoint()));
            }
        } catch (IOException e) {
            log.debug("HAProxy's stats: {}", e.toString());
        }
        return out;
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /**
     * HAProxy died unasked: it is started again with the routes and endpoints this data plane has, at once and
     * then with a growing pause while it cannot be.
     */
    private void startAgain() {
        Thread.ofVirtual().name("wharf-haproxy-start-again").start(() -> {
            long pauseMs = 200;
            while (!closed) {
                String problem;
                int serving;
                synchronized (this) {
                    // an adopted HAProxy not yet given its routes is started by the first serve()
                    if (closed || process.running() || adopted) return;
                    problem = writeAndLoad();
                    serving = routes.size();
                }
                if (problem == null) {
                    log.warn("HAProxy started again, with {} routes", serving);
                    listeners.forEach(Runnable::run);
                    return;
                }
                log.warn("HAProxy could not be started again, again in {} ms: {}", pauseMs, problem);
                try {
                    Thread.sleep(pauseMs);
                } catch (InterruptedException e) {
                    return;
                }
                pauseMs = Math.min(pauseMs * 2, 10_000);
            }
        });
    }

    @Override
    public synchronized void close() {
        closed = true;
        process.stop();
        requestLog.close();
    }

    /** Tells the request log which endpoint each slot holds; called whenever slots may have changed. */
    private void slotsChanged() {
        Map<String, EndpointId> now = new HashMap<>();
        for (var e : backends.entrySet()) {
            for (Slot s : e.getValue().slots()) {
                EndpointId at = s.endpoint != null ? s.endpoint : s.leaving;
                if (at != null) now.put(e.getKey() + "/" + s.name, at);
            }
        }
        requestLog.slots(now);
    }
}
