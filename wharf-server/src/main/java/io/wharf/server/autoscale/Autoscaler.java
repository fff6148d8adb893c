package io.wharf.server.autoscale;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.wharf.core.ConflictException;
import io.wharf.core.cluster.ContainerRecord;
import io.wharf.core.registry.ServiceKey;
import io.wharf.core.spec.AutoscaleSpec;
import io.wharf.core.spec.Scale;
import io.wharf.core.spec.ServiceSpec;
import io.wharf.server.cluster.Cluster;
import io.wharf.server.cluster.ClusterView;
import io.wharf.server.cluster.Specs;
import io.wharf.server.operation.OperationEngine;
import io.wharf.server.operation.OperationIds;
import io.wharf.server.scalein.ScaleInKind;
import io.wharf.server.scalein.ScaleInState;
import io.wharf.store.AutoscaleDecisionRecord;
import io.wharf.store.AutoscaleStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The autoscaler (claims 002.7, 004.7) and the way down of every service. Each pass — every second, and
 * soon after agents report — it reads each autoscaled service's metrics from one {@link ClusterView}, lets
 * {@link Decide} choose a count, sets it as the service's scale and places the containers a higher count
 * needs; then, for every service that runs more containers than its count (lowered by the autoscaler or by a
 * user's {@code apply}), it starts a scale-in, which drains them before they stop. Decisions that change a
 * count are stored; the last evaluation of each service is kept for the API.
 */
public final class Autoscaler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Autoscaler.class);

    /** The longest time between two passes. */
    static final Duration EVERY = Duration.ofSeconds(1);
    /** The shortest: reports that come faster are taken together. */
    static final Duration MIN_GAP = Duration.ofMillis(400);
    /** Decisions kept per service. */
    public static final int KEEP = 50;
    /** How long a scale-in waits for watchers and load balancers before it stops a container anyway. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(20);

    /**
     * What the autoscaler made of a service at its last evaluation.
     *
     * @param current the containers it runs or is starting (its count)
     * @param ready those serving
     * @param desired the count it asked for
     * @param state what it makes of the readings, e.g. {@code cpu 82.0% of 50.0%: over its target, acting if it
     *     stays}
     * @param holding the operation it waits for, if one holds the service
     * @param lastChange the last time it changed the count, if it has
     */
    public record Status(
            ServiceKey key,
            AutoscaleSpec spec,
            int current,
            int ready,
            int desired,
            List<Reading> readings,
            String state,
            Optional<String> holding,
            Instant evaluatedAt,
            Optional<Instant> lastChange) {}

    private final Cluster cluster;
    private final OperationEngine engine;
    private final ScaleInKind scaleIns;
    private final AutoscaleStore decisions;
    private final Clock clock;
    private final MeterRegistry meters;
    private final OperationIds ids;
    private final Signals signals = new Signals();
    private final Map<ServiceKey, Decide.Memory> memory = new HashMap<>();
    private final Map<ServiceKey, Status> status = new ConcurrentHashMap<>();
    private final Map<ServiceKey, Instant> lastChange = new ConcurrentHashMap<>();
    /** Per service, the report that first showed a metric over its target, while one stays over. */
    private final Map<ServiceKey, Instant> overSince = new HashMap<>();

    private final MultiGauge replicas;
    private final MultiGauge desired;
    private final MultiGauge values;
    private final MultiGauge targets;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeUp = lock.newCondition();
    private final AtomicBoolean running = new AtomicBoolean();
    private final Thread thread;
    private boolean woken;

    public Autoscaler(
            Cluster cluster,
            OperationEngine engine,
            ScaleInKind scaleIns,
            AutoscaleStore decisions,
            Clock clock,
            MeterRegistry meters) {
        this.cluster = requireNonNull(cluster, "cluster");
        this.engine = requireNonNull(engine, "engine");
        this.scaleIns = requireNonNull(scaleIns, "scaleIns");
        this.decisions = requireNonNull(decisions, "decisions");
        this.clock = requireNonNull(clock, "clock");
        this.meters = requireNonNull(meters, "meters");
        this.ids = new OperationIds(clock);
        this.replicas = MultiGauge.builder("wharf.autoscaler.replicas")
                .description("containers an autoscaled service runs or is starting")
                .register(meters);
        this.desired = MultiGauge.builder("wharf.autoscaler.desired")
                .description("the count the autoscaler asked for")
                .register(meters);
        this.values = MultiGauge.builder("wharf.autoscaler.metric")
                .description("an autoscaled service's metric now (cpu %, memory %, latency ms, requests/s)")
                .register(meters);
        this.targets = MultiGauge.builder("wharf.autoscaler.target")
                .description("the target of an autoscaled service's metric")
                .register(meters);
        this.thread = Thread.ofPlatform().name("wharf-autoscaler").daemon().unstarted(this::run);
    }

    /** Starts the passes. */
    public Autoscaler start() {
        if (running.compareAndSet(false, true)) thread.start();
        return this;
    }

    /** Asks for a pass soon: agents reported, or a spec changed. */
    public void wake() {
        lock.lock();
        try {
            woken = true;
            wakeUp.signal();
        } finally {
            lock.unlock();
        }
    }

    /** What it made of {@code key} at its last evaluation, if the service is autoscaled. */
    public Optional<Status> status(ServiceKey key) {
        return Optional.ofNullable(status.get(key));
    }

    /** Its last evaluation of every autoscaled service, by service. */
    public List<Status> all() {
        return status.values().stream()
                .sorted(Comparator.comparing(s -> s.key().toString()))
                .toList();
    }

    /** The newest {@code limit} decisions that changed {@code key}'s count, newest first. */
    public List<AutoscaleDecisionRecord> decisions(ServiceKey key, int limit) {
        return decisions.recent(key, limit);
    }

    private void run() {
        Instant last = Instant.EPOCH;
        while (running.get()) {
            try {
                awaitWork(last);
                last = clock.instant();
                pass();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("autoscaler pass failed; trying again", e);
            }
        }
    }

    private void awaitWork(Instant last) throws InterruptedException {
        Duration gap = Duration.between(last, clock.instant());
        if (gap.compareTo(MIN_GAP) < 0) Thread.sleep(MIN_GAP.minus(gap));
        lock.lock();
        try {
            long nanos = EVERY.minus(MIN_GAP).toNanos();
            while (!woken && nanos > 0 && running.get()) {
                nanos = wakeUp.awaitNanos(nanos);
            }
            woken = false;
        } finally {
            lock.unlock();
        }
    }

    /** One pass: evaluates every autoscaled service, then starts the scale-ins that counts call for. */
    public synchronized void pass() {
        List<ServiceSpec> specs = cluster.specs().all();
        List<ServiceSpec> scaled =
                specs.stream().filter(s -> s.autoscale().isPresent()).toList();
        status.keySet().removeIf(k -> scaled.stream().noneMatch(s -> s.key().equals(k)));
        memory.keySet().removeIf(k -> scaled.stream().noneMatch(s -> s.key().equals(k)));
        overSince.keySet().removeIf(k -> scaled.stream().noneMatch(s -> s.key().equals(k)));
        if (!scaled.isEmpty()) {
            ClusterView view =
                    cluster.view(scaled.stream().map(ServiceSpec::key).collect(Collectors.toSet()));
            for (ServiceSpec spec : scaled) {
                try {
                    evaluate(view.service(spec.key()), spec.autoscale().get(), view.now());
                } catch (RuntimeException e) {
                    log.error("autoscaling service={} failed", spec.key(), e);
                }
            }
        }
        publishGauges();
        for (ServiceSpec spec : specs) {
            try {
                shrink(spec);
            } catch (RuntimeException e) {
                log.error("scale-in of service={} failed to start", spec.key(), e);
            }
        }
    }

    private void evaluate(ClusterView.ServiceView service, AutoscaleSpec spec, Instant now) {
        ServiceKey key = service.key();
        Signals.Readings r = signals.read(service, spec, now);
        int current = cluster.specs().replicas(key);
        Optional<String> hold = engine.holding(key).filter(h -> !h.startsWith(scaleIns.name() + " "));
        Decide.Decision d = Decide.decide(
                spec, current, r.ready(), r.readings(), hold, memory.getOrDefault(key, Decide.Memory.FRESH), now);
        memory.put(key, d.memory());
        if (r.readings().stream().anyMatch(x -> x.ratio() > 1 + Decide.TOLERANCE)) {
            overSince.putIfAbsent(key, newestReport(service));
        } else {
            overSince.remove(key);
        }
        String state = d.reason();
        if (d.direction() != Decide.Direction.STAY) {
            state = change(key, current, d, r, now);
        }
        status.put(
                key,
                new Status(
                        key,
                        spec,
                        cluster.specs().replicas(key),
                        r.ready(),
                        d.desired(),
                        r.readings(),
                        state,
                        hold,
                        now,
                        lastChange(key)));
    }

    /** Sets the count {@code d} asks for, places what it adds, and stores the decision. */
    private String change(ServiceKey key, int current, Decide.Decision d, Signals.Readings r, Instant now) {
        cluster.specs().scale(key, d.desired(), Specs.AUTOSCALER);
        String state = d.reason();
        if (d.direction() == Decide.Direction.UP) {
            int unplaced = cluster.placement().reconcile(key);
            if (unplaced > 0) {
                state += "; " + unplaced + " of " + (d.desired() - current)
                        + " new container(s) found no room (no ready host with the CPU, memory and free IPs)";
            }
        } else {
            wake(); // the scale-in starts in this pass's second half, or the next
        }
        String readings = r.readings().stream().map(Reading::toString).collect(Collectors.joining(", "));
        decisions.record(
                new AutoscaleDecisionRecord(
                        "ad-" + now.toEpochMilli() + "-"
                                + HexFormat.of().toHexDigits((short)
                                        ThreadLocalRandom.current().nextInt()),
                        key,
                        now,
                        current,
                        d.desired(),
                        state,
                        readings.isEmpty() ? "nothing measured" : readings),
                KEEP);
        lastChange.put(key, now);
        Counter.builder("wharf.autoscaler.decisions")
                .description("changes of a service's count by the autoscaler")
                .tag("service", key.toString())
                .tag("direction", d.direction().name().toLowerCase(Locale.ROOT))
                .register(meters)
                .increment();
        log.info(
                "autoscaled service={} from={} to={} over_since={} reason=\"{}\"",
                key,
                current,
                d.desired(),
                Optional.ofNullable(overSince.get(key)).map(Instant::toString).orElse("-"),
                state);
        return state;
    }

    /** When the newest report this evaluation read arrived: an agent's, or a load balancer's. */
    private static Instant newestReport(ClusterView.ServiceView service) {
        Instant newest = Instant.EPOCH;
        for (ClusterView.ContainerView c : service.running()) {
            if (c.reportedAt().isPresent() && c.reportedAt().get().isAfter(newest))
                newest = c.reportedAt().get();
        }
        for (ClusterView.LbView lb : service.loadBalancers()) {
            if (lb.reportedAt().isAfter(newest)) newest = lb.reportedAt();
        }
        return newest;
    }

    private Optional<Instant> lastChange(ServiceKey key) {
        Instant known = lastChange.get(key);
        if (known != null) return Optional.of(known);
        Optional<Instant> stored = decisions.recent(key, 1).stream().findFirst().map(AutoscaleDecisionRecord::at);
        stored.ifPresent(at -> lastChange.put(key, at));
        return stored;
    }

    /**
     * Starts a scale-in of {@code key} if it runs more containers than its count and no operation holds it: the
     * surplus, highest ordinals first, drained and then stopped.
     */
    private void shrink(ServiceSpec spec) {
        ServiceKey key = spec.key();
        List<ContainerRecord> surplus = cluster.placement().surplus(key);
        if (surplus.isEmpty() || engine.holding(key).isPresent()) return;
        Instant now = clock.instant();
        int count = cluster.specs().replicas(key);
        String reason = spec.autoscale().isPresent()
                ? "autoscaler: "
                        + Optional.ofNullable(status.get(key))
                                .map(Status::state)
                                .orElse("count " + count)
                : "count " + count + " ("
                        + cluster.specs().scale(key).map(Scale::owner).orElse("spec replicas") + ")";
        ScaleInState state = new ScaleInState(
                ids.next("si"),
                key.namespace(),
                key.service(),
                reason,
                DRAIN_TIMEOUT.toMillis(),
                now,
                surplus.stream()
                        .map(c -> new ScaleInState.Leaving(
                                c.id(), c.endpoint().toString(), ScaleInState.Step.PENDING, now, "", ""))
                        .toList());
        try {
            engine.submit(scaleIns, state.id(), state);
            log.info(
                    "scale-in started id={} service={} containers={} reason=\"{}\"",
                    state.id(),
                    key,
                    surplus.stream().map(ContainerRecord::id).toList(),
                    reason);
        } catch (ConflictException raced) {
            // an operation took the service meanwhile; the surplus is looked at again after it
        }
    }

    private void publishGauges() {
        List<MultiGauge.Row<?>> r = new ArrayList<>();
        List<MultiGauge.Row<?>> d = new ArrayList<>();
        List<MultiGauge.Row<?>> v = new ArrayList<>();
        List<MultiGauge.Row<?>> t = new ArrayList<>();
        for (Status s : status.values()) {
            Tags tags = Tags.of("service", s.key().toString());
            r.add(MultiGauge.Row.of(tags, s.current()));
            d.add(MultiGauge.Row.of(tags, s.desired()));
            for (Reading reading : s.readings()) {
                Tags m = tags.and("metric", reading.metric().field());
                v.add(MultiGauge.Row.of(m, reading.value()));
                t.add(MultiGauge.Row.of(m, reading.target()));
            }
        }
        replicas.register(r, true);
        desired.register(d, true);
        values.register(v, true);
        targets.register(t, true);
    }

    @Override
    public void close() {
        if (running.getAndSet(false)) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
