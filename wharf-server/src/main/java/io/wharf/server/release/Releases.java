package io.wharf.server.release;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.wharf.client.wire.EndpointState;
import io.wharf.client.wire.RegisteredBy;
import io.wharf.client.wire.Registration;
import io.wharf.core.ConflictException;
import io.wharf.core.InvalidInputException;
import io.wharf.core.NotFoundException;
import io.wharf.core.Violation;
import io.wharf.core.registry.EndpointId;
import io.wharf.core.registry.ServiceKey;
import io.wharf.core.spec.ImageRef;
import io.wharf.core.spec.ServiceSpec;
import io.wharf.server.cluster.Cluster;
import io.wharf.server.registry.LeaseRequest;
import io.wharf.server.registry.Registry;
import io.wharf.server.registry.WatcherStatus;
import io.wharf.server.release.Release.Step;
import io.wharf.store.ContainerRecord;
import io.wharf.store.ReleaseRecord;
import io.wharf.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases (claims 001.1–001.10), in place: for each endpoint, up to {@code parallelism} at a time —
 * deregister it and pause its agent's registration; drain until every watcher of the service has
 * acknowledged the removal and every load balancer reports nothing in flight to it (bounded by the drain
 * timeout); give its container the new version; wait for the new process to pass a health check, at most
 * {@code healthChecks} of its checks; register it again and resume its agent. If the checks all fail, the
 * endpoint is put back on its old version (unless told not to) and the release stops, saying why. A
 * start-first release (claim 001.9) starts the new version beside each endpoint instead ({@link StartFirst}).
 * The state is stored after every step, so a restarted server carries on from it.
 */
public final class Releases implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Releases.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    /** How long a replaced container may take to show its new process before its checks count as failed. */
    static final Duration START_LIMIT = Duration.ofSeconds(60);

    static final String IN_PLACE = "in-place";
    static final String START_FIRST = "start-first";
    /** The least time one health check counts for. */
    private static final Duration MIN_CHECK = Duration.ofSeconds(1);

    private final Store store;
    private final Cluster cluster;
    private final Registry registry;
    private final Clock clock;
    private final StartFirst startFirst = new StartFirst(this);
    /** When this server began stepping releases: time before it does not count against an endpoint's checks. */
    private Instant boot = Instant.EPOCH;
    /** Whether a release may be running; the stored ones are read only then (true at start for those left). */
    private boolean open = true;

    private final ScheduledExecutorService scanner = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("wharf-release").daemon().factory());

    public Releases(Store store, Cluster cluster, Registry registry, Clock clock) {
        this.store = requireNonNull(store, "store");
        this.cluster = requireNonNull(cluster, "cluster");
        this.registry = requireNonNull(registry, "registry");
        this.clock = requireNonNull(clock, "clock");
    }

    /** Starts stepping running releases, including those a previous server left running. */
    public Releases start() {
        boot = clock.instant();
        scanner.scheduleWithFixedDelay(this::scanQuietly, 0, 100, TimeUnit.MILLISECONDS);
        return this;
    }

    /** What a release is asked to do. */
    public record Request(
            ServiceKey service,
            String version,
            int parallelism,
            Duration drainTimeout,
            int healthChecks,
            String mode,
            boolean rollback,
            Duration watch,
            double maxErrorRate,
            double maxLatencyRatio) {}

    /**
     * Creates a release of {@code request.service()} to {@code request.version()}, one row per endpoint.
     *
     * @throws InvalidInputException naming each wrong option
     * @throws NotFoundException if the service has no spec
     * @throws ConflictException if another release of the service is running
     */
    public synchronized Release create(Request request) {
        ServiceSpec spec = cluster.spec(request.service())
                .orElseThrow(() ->
                        new NotFoundException("service spec", request.service().toString()));
        List<ContainerRecord> containers = cluster.running(request.service());
        List<Violation> wrong = new ArrayList<>();
        ImageRef target = new ImageRef(spec.image().name(), request.version());
        if (cluster.images().find(target).isEmpty()) {
            wrong.add(new Violation("version", target + " has not been pushed"));
        }
        if (request.parallelism() < 1 || request.parallelism() > Math.max(1, containers.size())) {
            wrong.add(new Violation(
                    "parallelism",
                    request.parallelism() + " (expected: 1.." + Math.max(1, containers.size())
                            + ", the service's endpoints)"));
        }
        if (request.drainTimeout().isNegative() || request.drainTimeout().compareTo(Duration.ofMinutes(10)) > 0) {
            wrong.add(new Violation("drainTimeout", request.drainTimeout() + " (expected: 0s..10m)"));
        }
        if (request.healthChecks() < 1 || request.healthChecks() > 100) {
            wrong.add(new Violation("healthChecks", request.healthChecks() + " (expected: 1..100)"));
        }
        boolean startFirst = request.mode().equals(START_FIRST);
        if (!startFirst && !request.mode().equals(IN_PLACE)) {
            wrong.add(new Violation("mode", "'" + request.mode() + "' (expected: in-place or start-first)"));
        }
        if (startFirst && !request.rollback()) {
            wrong.add(new Violation(
                    "rollback",
                    "false (start-first always sends traffic back to the old endpoint when the new one fails)"));
        }
        if (request.watch().compareTo(Duration.ofSeconds(1)) < 0
                || request.watch().compareTo(Duration.ofMinutes(30)) > 0) {
            wrong.add(new Violation("watch", request.watch() + " (expected: 1s..30m)"));
        }
        if (!(request.maxErrorRate() >= 0 && request.maxErrorRate() <= 1)) {
            wrong.add(new Violation("maxErrorRate", request.maxErrorRate() + " (expected: 0..1)"));
        }
        if (!(request.maxLatencyRatio() >= 1 && request.maxLatencyRatio() <= 100)) {
            wrong.add(new Violation("maxLatencyRatio", request.maxLatencyRatio() + " (expected: 1..100)"));
        }
        if (containers.isEmpty()) {
            wrong.add(new Violation("service", request.service() + " has no running containers to release"));
        }
        if (!wrong.isEmpty()) throw new InvalidInputException(wrong);
        for (ReleaseRecord r : store.cluster().releases()) {
            if (r.service().equals(request.service()) && r.status().equals("RUNNING")) {
                throw new ConflictException("release " + r.id() + " of " + request.service() + " is running");
            }
        }
        Instant now = clock.instant();
        Release release = new Release();
        release.id = "rel-" + ID_TIME.format(now) + "-"
                + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        release.namespace = request.service().namespace();
        release.service = request.service().service();
        release.version = request.version();
        release.mode = request.mode();
        release.parallelism = request.parallelism();
        release.drainTimeoutMillis = request.drainTimeout().toMillis();
        release.healthChecks = request.healthChecks();
        release.rollback = request.rollback();
        release.watchMillis = request.watch().toMillis();
        release.maxErrorRate = request.maxErrorRate();
        release.maxLatencyRatio = request.maxLatencyRatio();
        release.createdAt = now;
        release.updatedAt = now;
        for (ContainerRecord c : containers) {
            Release.Endpoint e = new Release.Endpoint();
            e.container = c.id();
            e.endpoint = c.endpoint().toString();
            e.host = c.hostId();
            e.fromVersion = c.image().version();
            e.steps.put(Step.PENDING.name(), now);
            release.endpoints.add(e);
        }
        save(release);
        open = true;
        log.info(
                "release created id={} service={} version={} endpoints={} parallelism={}",
                release.id,
                request.service(),
                release.version,
                release.endpoints.size(),
                release.parallelism);
        return release;
    }

    /** Every release, newest first. */
    public List<Release> list() {
        return store.cluster().releases().stream().map(Releases::read).toList();
    }

    public Release get(String id) {
        return store.cluster().release(id).map(Releases::read).orElseThrow(() -> new NotFoundException("release", id));
    }

    private void scanQuietly() {
        try {
            scan();
        } catch (RuntimeException e) {
            log.error("release step failed; trying again", e);
        }
    }

    synchronized void scan() {
        if (!open) return;
        boolean any = false;
        for (ReleaseRecord r : store.cluster().releases()) {
            if (r.status().equals("RUNNING")) {
                any = true;
                advance(read(r));
            }
        }
        open = any;
    }

    private void advance(Release release) {
        ServiceKey key = new ServiceKey(release.namespace, release.service);
        int busy = 0;
        for (Release.Endpoint e : release.endpoints) {
            Step step = e.step();
            if (step.ended()) continue;
            // once an endpoint failed, no new one starts; those under way are finished, never left out
            if (step == Step.PENDING && (busy >= release.parallelism || failure(release) != null)) continue;
            busy++;
            Step before = step;
            String was = json(e);
            step(release, key, e);
            if (e.step() != before) {
                e.steps.put(e.step, clock.instant());
            }
            if (!json(e).equals(was)) {
                // every change is stored before the next scan reads it back: a step, or what a step waits on
                release.updatedAt = clock.instant();
                save(release);
            }
        }
        boolean underWay = release.endpoints.stream().anyMatch(e -> !e.step().ended() && e.step() != Step.PENDING);
        Release.@Nullable Endpoint failed = failure(release);
        if (failed != null && !underWay) {
            release.status = "FAILED";
            release.reason = failed.container + ": " + failed.reason;
            release.updatedAt = clock.instant();
            save(release);
            log.warn("release failed id={} reason=\"{}\"", release.id, release.reason);
        } else if (release.endpoints.stream().allMatch(e -> e.step() == Step.DONE)) {
            cluster.setSpecImage(key, new ImageRef(imageName(key), release.version));
            release.status = "COMPLETED";
            release.reason = "all " + release.endpoints.size() + " endpoints on " + release.version;
            release.updatedAt = clock.instant();
            save(release);
            log.info("release completed id={} ({})", release.id, release.reason);
        }
    }

    private static Release.@Nullable Endpoint failure(Release release) {
        return release.endpoints.stream()
                .filter(e -> e.step() == Step.FAILED || e.step() == Step.ROLLED_BACK)
                .findFirst()
                .orElse(null);
    }

    private void step(Release release, ServiceKey key, Release.Endpoint e) {
        if (release.mode.equals(START_FIRST)) {
            startFirst.step(release, key, e, clock.instant());
            return;
        }
        Instant now = clock.instant();
        switch (e.step()) {
            case PENDING -> {
                e.oldPid = pid(e.container);
                e.removedAt = deregister(key, e.endpoint);
                cluster.setRegistration(e.container, Registration.PAUSED);
                e.step = Step.DRAINING.name();
            }
            case DRAINING -> {
                if (registered(key, e.endpoint)) {
                    e.removedAt = deregister(key, e.endpoint); // put back before its agent saw the pause
                }
                Instant since = e.steps.getOrDefault(Step.DRAINING.name(), now);
                long waited = Duration.between(since, now).toMillis();
                List<String> pending = undrained(key, e);
                if (pending.isEmpty() || waited >= release.drainTimeoutMillis) {
                    e.drain = pending.isEmpty() ? "acknowledged" : "timeout (still waiting for " + pending + ")";
                    e.drainMillis = waited;
                    cluster.setImage(e.container, release.version);
                    e.startedAt = Instant.EPOCH;
                    e.checks = 0;
                    e.step = Step.CHECKING.name();
                }
            }
            case CHECKING, ROLLING_BACK -> check(release, key, e, now);
            default -> {}
        }
    }

    /** Claim 001.6: the first passing check registers it again; the last failing one ends its attempt. */
    private void check(Release release, ServiceKey key, Release.Endpoint e, Instant now) {
        boolean rollingBack = e.step() == Step.ROLLING_BACK;
        String version = rollingBack ? e.fromVersion : release.version;
        var seen = cluster.container(e.container).observed();
        long pid = seen.map(o -> o.pid()).orElse(0L);
        if (pid != 0 && pid != e.oldPid && e.startedAt.equals(Instant.EPOCH)) {
            e.startedAt = now;
        }
        // a check counts at least a second, so a process gets time to open its port; putting the old version
        // back gets at least the default six
        Duration interval = checkInterval(key);
        int budget = rollingBack ? Math.max(release.healthChecks, 6) : release.healthChecks;
        if (!e.startedAt.equals(Instant.EPOCH)) {
            long elapsed = Duration.between(counted(e.startedAt), now).toMillis();
            e.checks = (int) Math.min(budget, elapsed / interval.toMillis() + 1);
            if (seen.isPresent() && seen.get().healthy()) {
                register(key, e, version);
                cluster.setRegistration(e.container, Registration.ACTIVE);
                e.step = (rollingBack ? Step.ROLLED_BACK : Step.DONE).name();
                if (rollingBack) {
                    e.reason = "version " + release.version + " failed " + release.healthChecks
                            + " health checks; rolled back to " + e.fromVersion;
                }
                return;
            }
        }
        boolean outOfChecks = !e.startedAt.equals(Instant.EPOCH)
                && Duration.between(counted(e.startedAt), now).compareTo(interval.multipliedBy(budget)) > 0;
        boolean neverStarted = e.startedAt.equals(Instant.EPOCH)
                && Duration.between(counted(e.steps.getOrDefault(e.step, now)), now)
                                .compareTo(START_LIMIT)
                        > 0;
        if (!outOfChecks && !neverStarted) return;
        String why = neverStarted
                ? "version " + version + " did not start within " + START_LIMIT.toSeconds() + " s"
                : "version " + version + " failed " + budget + " health checks";
        if (!rollingBack && release.rollback) {
            e.reason = why;
            e.oldPid = pid;
            e.startedAt = Instant.EPOCH;
            e.checks = 0;
            cluster.setImage(e.container, e.fromVersion);
            e.step = Step.ROLLING_BACK.name();
        } else {
            cluster.setRegistration(e.container, Registration.ACTIVE); // 001.7
            e.reason = rollingBack ? e.reason + "; rolling back failed too: " + why : why;
            e.step = Step.FAILED.name();
        }
    }

    /**
     * When an endpoint's checks (or its start) began counting: {@code at}, or, for one a previous server left
     * under way, when this server started — the time the server was down is not the new process's fault.
     */
    Instant counted(Instant at) {
        return at.isBefore(boot) && !at.equals(Instant.EPOCH) ? boot : at;
    }

    /** How long one health check counts for: the service's check interval, at least a second. */
    Duration checkInterval(ServiceKey key) {
        return cluster.spec(key)
                .map(s -> s.health().interval())
                .filter(d -> d.compareTo(MIN_CHECK) >= 0)
                .orElse(MIN_CHECK);
    }

    /** The watchers and load balancers that have not yet let go of the endpoint. */
    private List<String> undrained(ServiceKey key, Release.Endpoint e) {
        return undrained(key, e.endpoint, e.removedAt);
    }

    /** The watchers and load balancers that have not yet let go of {@code endpoint}, removed at {@code removedAt}. */
    List<String> undrained(ServiceKey key, String endpoint, long removedAt) {
        List<String> pending = new ArrayList<>();
        for (WatcherStatus w : registry.watchers(key)) {
            if (w.acknowledged() < removedAt) pending.add("watcher " + w.id());
        }
        for (Cluster.HostLoad lb : cluster.load(key)) {
            if (lb.revision() < removedAt) {
                pending.add("load balancer of " + lb.host() + " (at revision " + lb.revision() + ")");
            } else if (lb.inFlight().getOrDefault(endpoint, 0) > 0) {
                pending.add(
                        "load balancer of " + lb.host() + " (" + lb.inFlight().get(endpoint) + " in flight)");
            }
        }
        return pending;
    }

    long deregister(ServiceKey key, String endpoint) {
        try {
            return registry.deregister(key, EndpointId.parse(endpoint));
        } catch (NotFoundException absent) {
            return registry.revision();
        }
    }

    boolean registered(ServiceKey key, String endpoint) {
        return registry.snapshot(key).endpoints().stream()
                .anyMatch(r -> r.endpoint().id().toString().equals(endpoint));
    }

    private void register(ServiceKey key, Release.Endpoint e, String version) {
        register(key, e.container, e.endpoint, e.host, version);
    }

    /**
     * Registers a container's endpoint on its host's lease; returns the revision that did it, or 0 if the
     * host has no lease (its agent registers it once it reports again).
     */
    long register(ServiceKey key, String container, String endpoint, String host, String version) {
        String lease = cluster.hostLease(host).orElse("");
        if (lease.isEmpty()) return 0;
        return registry.register(
                        key,
                        new io.wharf.core.registry.Endpoint(
                                EndpointId.parse(endpoint),
                                EndpointState.UP,
                                1,
                                version,
                                Map.of("container", container, "host", host),
                                RegisteredBy.RELEASE),
                        new LeaseRequest.Shared(lease))
                .revision();
    }

    Cluster cluster() {
        return cluster;
    }

    Registry registry() {
        return registry;
    }

    private long pid(String container) {
        return cluster.container(container).observed().map(o -> o.pid()).orElse(0L);
    }

    private String imageName(ServiceKey key) {
        return cluster.spec(key).map(s -> s.image().name()).orElse("");
    }

    private void save(Release r) {
        try {
            store.cluster()
                    .putRelease(new ReleaseRecord(
                            r.id,
                            new ServiceKey(r.namespace, r.service),
                            r.status,
                            JSON.writeValueAsString(r),
                            r.createdAt,
                            r.updatedAt));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Release read(ReleaseRecord r) {
        try {
            return JSON.readValue(r.body(), Release.class);
        } catch (IOException e) {
            throw new UncheckedIOException("release " + r.id() + " cannot be read", e);
        }
    }

    @Override
    public void close() {
        scanner.shutdownNow();
    }
}
