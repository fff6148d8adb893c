package io.wharf.lb.internal.netty;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.wharf.client.sdk.Rule;
import io.wharf.core.registry.EndpointId;
import io.wharf.core.registry.ServiceKey;
import io.wharf.lb.Served;
import io.wharf.lb.balance.Backend;
import io.wharf.lb.balance.BackendSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * One service as the proxy serves it: its backends, kept in step with the registry, and its meters per
 * endpoint. Shared by every listener that routes to the service.
 */
public final class ServiceTarget {
    /** Why a request or connection failed, as counted in {@code wharf.lb.errors}. */
    public enum Failure {
        /** The endpoint refused or did not accept the connection in time. */
        CONNECT,
        /** The endpoint closed or reset the connection before answering. */
        RESET,
        /** The endpoint did not start answering within the response timeout. */
        TIMEOUT,
        /** No endpoint of the service was available. */
        NO_ENDPOINT,
        /** The endpoint's answer broke off, or the client left, mid-response. */
        ABORTED
    }

    private static final String NONE = "none";

    private final ServiceKey key;
    private final BackendSet backends;
    private final MeterRegistry meters;
    private final Map<EndpointId, EndpointMeters> perEndpoint = new ConcurrentHashMap<>();
    private final Map<String, Counter> noEndpoint = new ConcurrentHashMap<>();
    private volatile long revision = -1;
    private final Runnable changed;

    public ServiceTarget(ServiceKey key, Rule rule, MeterRegistry meters) {
        this(key, rule, meters, () -> {});
    }

    /**
     * A target whose {@code changed} runs after each registry snapshot it applies and each time an endpoint
     * that has left finishes its last request in flight: whenever its revision or a drain changes.
     */
    public ServiceTarget(ServiceKey key, Rule rule, MeterRegistry meters, Runnable changed) {
        this.key = requireNonNull(key, "key");
        this.changed = requireNonNull(changed, "changed");
        this.backends = new BackendSet(rule, changed);
        this.meters = requireNonNull(meters, "meters");
    }

    public ServiceKey key() {
        return key;
    }

    /** The backends, for picking and for in-flight counts. */
    public BackendSet backends() {
        return backends;
    }

    /** The registry revision last applied. */
    public long revision() {
        return revision;
    }

    /** Applies a registry snapshot of the service's endpoints. */
    public void update(long atRevision, List<BackendSet.Member> endpoints) {
        backends.apply(endpoints);
        revision = atRevision;
        var inFlight = backends.inFlight();
        for (EndpointId id : new ArrayList<>(perEndpoint.keySet())) {
            if (!inFlight.containsKey(id)) {
                EndpointMeters m = perEndpoint.remove(id);
                if (m != null) m.remove();
            }
        }
        changed.run();
    }

    /** The next backend for a request with {@code hashKey}, if any endpoint is available. */
    public Optional<Backend> pick(long hashKey) {
        return backends.pick(hashKey, System.nanoTime());
    }

    /**
     * Counts one request (or connection) to {@code backend} that took {@code nanos}; {@code serverError} if
     * the endpoint answered with a 5xx status.
     */
    public void served(Backend backend, long nanos, boolean serverError) {
        EndpointMeters m = meters(backend.id());
        m.latency.record(nanos, TimeUnit.NANOSECONDS);
        m.micros.recordValue(Math.max(0, nanos / 1000));
        if (serverError) m.serverErrors.increment();
    }

    /** Per endpoint, what it has served. */
    public Map<EndpointId, Served> served() {
        Map<EndpointId, Served> out = new TreeMap<>(Comparator.comparing(EndpointId::toString));
        perEndpoint.forEach((id, m) -> {
            long failed = m.failures.values().stream()
                    .mapToLong(c -> (long) c.count())
                    .sum();
            long answered = m.latency.count();
            out.put(
                    id,
                    new Served(
                            answered + failed,
                            failed + (long) m.serverErrors.count(),
                            (long) m.latency.totalTime(TimeUnit.NANOSECONDS),
                            m.micros.copy()));
        });
        return out;
    }

    /** Counts one failure, on {@code backend} if one was involved. */
    public void failed(Optional<Backend> backend, Failure failure) {
        if (backend.isPresent()) {
            meters(backend.get().id()).failed(failure);
        } else {
            noEndpoint
                    .computeIfAbsent(failure.name(), f -> errors(NONE, failure))
                    .increment();
        }
    }

    private Counter errors(String endpoint, Failure failure) {
        return Counter.builder("wharf.lb.errors")
                .description("requests (HTTP) or connections (TCP) that failed, by reason")
                .tags(tags(endpoint).and("reason", failure.name().toLowerCase(Locale.ROOT)))
                .register(meters);
    }

    private Tags tags(String endpoint) {
        return Tags.of("namespace", key.namespace(), "service", key.service(), "endpoint", endpoint);
    }

    private EndpointMeters meters(EndpointId id) {
        EndpointMeters m = perEndpoint.get(id);
        return m != null ? m : perEndpoint.computeIfAbsent(id, EndpointMeters::new);
    }

    /** Stops every meter of the service. */
    public void close() {
        perEndpoint.values().forEach(EndpointMeters::remove);
        perEndpoint.clear();
        noEndpoint.values().forEach(meters::remove);
        noEndpoint.clear();
    }

    private final class EndpointMeters {
        final String name;
        final Timer latency;
        final Gauge inFlight;
        final Counter serverErrors;
        /** Response times in microseconds, for judging a new endpoint against the others (claim 001.9). */
        final Histogram micros = new ConcurrentHistogram(2);

        final Map<Failure, Counter> failures = new ConcurrentHashMap<>();

        EndpointMeters(EndpointId id) {
            this.name = id.toString();
            this.latency = Timer.builder("wharf.lb.requests")
                    .description("requests (HTTP) or connections (TCP) served, by endpoint, with their duration")
                    .tags(tags(name))
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofNanos(50_000))
                    .maximumExpectedValue(Duration.ofSeconds(30))
                    .register(meters);
            this.inFlight = Gauge.builder("wharf.lb.in.flight", backends, b -> b.inFlight(id))
                    .description("requests (HTTP) or connections (TCP) in flight, by endpoint")
                    .tags(tags(name))
                    .register(meters);
            this.serverErrors = Counter.builder("wharf.lb.server.errors")
                    .description("answers with a 5xx status, by endpoint")
                    .tags(tags(name))
                    .register(meters);
        }

        void failed(Failure failure) {
            failures.computeIfAbsent(failure, f -> errors(name, f)).increment();
        }

        void remove() {
            List<Meter> all = new ArrayList<>(failures.values());
            all.add(latency);
            all.add(inFlight);
            all.add(serverErrors);
            all.forEach(meters::remove);
        }
    }
}
