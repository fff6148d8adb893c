package io.wharf.server.autoscale;

import io.wharf.client.wire.ContainerReport;
import io.wharf.client.wire.ContainerState;
import io.wharf.client.wire.Served;
import io.wharf.core.spec.AutoscaleSpec;
import io.wharf.server.cluster.ClusterView;
import io.wharf.server.cluster.Latencies;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.HdrHistogram.Histogram;

/**
 * What the autoscaler measures of a service, from the reports in successive {@link ClusterView}s: each
 * container's CPU use (the change of its CPU time over about a second of its agent's reports) and memory, and what
 * the load balancers served of it (requests and response times between their reports). Remembers a few
 * seconds of reports; turns them into one {@link Reading} per metric of the spec.
 *
 * <p>Missing data is judged conservatively: a container whose agent has not reported lately counts as idle
 * when the question is whether to add containers, and makes a reading incomplete, which forbids taking any
 * away.
 */
public final class Signals {
    /** A report older than this is not fresh. */
    static final Duration FRESH = Duration.ofSeconds(3);
    /** The load balancers' figures are taken over about this long. */
    static final Duration LB_WINDOW = Duration.ofSeconds(2);
    /** Fewer requests than this in the window say nothing about response times. */
    static final int MIN_REQUESTS = 10;

    /** A container's CPU use is taken over about this long. */
    static final Duration CPU_WINDOW = Duration.ofSeconds(1);
    /** Two reports closer than this (seconds) say nothing about CPU use. */
    static final double MIN_CPU_SPAN = 0.4;

    private static final Duration KEEP = Duration.ofSeconds(10);

    private final Map<String, Deque<Sample<Double>>> cpu = new HashMap<>();
    private final Map<String, Deque<Sample<Map<String, Served>>>> served = new HashMap<>();

    private record Sample<T>(Instant at, T value) {}

    /** The readings of {@code service} now, one for each metric {@code spec} names that has data. */
    public Readings read(ClusterView.ServiceView service, AutoscaleSpec spec, Instant now) {
        double cores = service.spec().map(s -> s.cpu() > 0 ? s.cpu() : 1.0).orElse(1.0);
        long memoryMb = service.spec().map(s -> s.memoryMb()).orElse(0L);
        int current = 0;
        int ready = 0;
        int quiet = 0;
        double cpuSum = 0;
        int cpuKnown = 0;
        double memorySum = 0;
        Set<String> endpoints = new HashSet<>();
        for (ClusterView.ContainerView c : service.running()) {
            current++;
            Optional<ContainerReport> o = c.observed();
            boolean serving = o.isPresent()
                    && o.get().state() == ContainerState.RUNNING
                    && o.get().healthy();
            boolean fresh = c.hostReady()
                    && c.reportedAt()
                            .filter(at -> Duration.between(at, now).compareTo(FRESH) <= 0)
                            .isPresent();
            if (!fresh) {
                // its agent went quiet: idle for the way up, and no way down until it reports again
                quiet++;
                if (serving) ready++;
                continue;
            }
            if (!serving) continue; // starting, or failing its checks: not capacity
            ready++;
            endpoints.add(c.row().endpoint().toString());
            Optional<Double> rate =
                    cpuRate(c.row().id(), c.reportedAt().get(), o.get().cpuSeconds(), now);
            if (rate.isPresent()) {
                cpuSum += rate.get() / cores * 100;
                cpuKnown++;
            }
            if (memoryMb > 0) memorySum += o.get().rssBytes() * 100.0 / (memoryMb << 20);
        }
        forget(service, now);
        List<Reading> readings = new ArrayList<>();
        boolean complete = quiet == 0;
        if (ready > 0) {
            if (spec.cpuPercent().isPresent()) {
                readings.add(new Reading(
                        Metric.CPU, cpuSum / ready, spec.cpuPercent().getAsDouble(), complete && cpuKnown == ready));
            }
            if (spec.memoryPercent().isPresent()) {
                readings.add(new Reading(
                        Metric.MEMORY, memorySum / ready, spec.memoryPercent().getAsDouble(), complete));
            }
        }
        Traffic traffic = traffic(service, endpoints, now);
        if (ready > 0 && traffic.seconds > 0 && spec.requestsPerSecond().isPresent()) {
            readings.add(new Reading(
                    Metric.REQUESTS,
                    traffic.requests / traffic.seconds / ready,
                    spec.requestsPerSecond().getAsDouble(),
                    true));
        }
        if (traffic.latency.getTotalCount() >= MIN_REQUESTS && spec.latency().isPresent()) {
            readings.add(new Reading(
                    Metric.LATENCY,
                    traffic.latency.getValueAtPercentile(95) / 1000.0,
                    spec.latency().get().toNanos() / 1_000_000.0,
                    true));
        }
        return new Readings(current, ready, List.copyOf(readings));
    }

    /** A service's readings and the counts they were taken over. */
    public record Readings(int current, int ready, List<Reading> readings) {}

    /**
     * The cores one container used over about the last {@link #CPU_WINDOW}: the change of its CPU time between
     * its newest report and the newest one at least that much older (else the oldest kept), if they are far
     * enough apart to say something.
     */
    private Optional<Double> cpuRate(String container, Instant at, double cpuSeconds, Instant now) {
        Deque<Sample<Double>> samples = cpu.computeIfAbsent(container, k -> new ArrayDeque<>());
        if (!samples.isEmpty() && cpuSeconds < samples.peekLast().value()) samples.clear(); // it restarted
        if (samples.isEmpty() || at.isAfter(samples.peekLast().at())) samples.addLast(new Sample<>(at, cpuSeconds));
        while (samples.size() > 1
                && Duration.between(samples.peekFirst().at(), now).compareTo(KEEP) > 0) {
            samples.pollFirst();
        }
        Sample<Double> last = samples.peekLast();
        Sample<Double> base = baseline(samples, last.at().minus(CPU_WINDOW));
        double seconds = Duration.between(base.at(), last.at()).toNanos() / 1e9;
        if (seconds < MIN_CPU_SPAN) return Optional.empty();
        return Optional.of((last.value() - base.value()) / seconds);
    }

    private record Traffic(double requests, double seconds, Histogram latency) {}

    /**
     * Requests and response times of the service's serving endpoints over the last window, every load balancer:
     * the change of each one's counts since its report about {@link #LB_WINDOW} earlier (an endpoint it had not
     * counted then started from nothing).
     */
    private Traffic traffic(ClusterView.ServiceView service, Set<String> endpoints, Instant now) {
        Histogram latency = new Histogram(3);
        double requests = 0;
        double seconds = 0;
        for (ClusterView.LbView lb : service.loadBalancers()) {
            if (!lb.hostReady() || Duration.between(lb.reportedAt(), now).compareTo(FRESH) > 0) continue;
            Deque<Sample<Map<String, Served>>> samples =
                    served.computeIfAbsent(lb.host() + " " + service.key(), k -> new ArrayDeque<>());
            if (samples.isEmpty() || lb.reportedAt().isAfter(samples.peekLast().at())) {
                samples.addLast(new Sample<>(lb.reportedAt(), lb.served()));
            }
            while (samples.size() > 1
                    && Duration.between(samples.peekFirst().at(), now).compareTo(KEEP) > 0) {
                samples.pollFirst();
            }
            Sample<Map<String, Served>> last = samples.peekLast();
            Sample<Map<String, Served>> base = baseline(samples, last.at().minus(LB_WINDOW));
            double span = Duration.between(base.at(), last.at()).toNanos() / 1e9;
            if (span <= 0) continue;
            seconds = Math.max(seconds, span);
            for (Map.Entry<String, Served> e : last.value().entrySet()) {
                if (!endpoints.contains(e.getKey())) continue;
                Served is = e.getValue();
                Served was = base.value().get(e.getKey());
                boolean continued = was != null && is.requests() >= was.requests();
                requests += continued ? is.requests() - was.requests() : is.requests();
                Optional<Histogram> after = Latencies.decode(is.latency().orElse(""));
                if (after.isPresent()) {
                    Optional<Histogram> before =
                            continued ? Latencies.decode(was.latency().orElse("")) : Optional.empty();
                    latency.add(before.map(b -> Latencies.since(b, after.get())).orElse(after.get()));
                }
            }
        }
        return new Traffic(requests, seconds, latency);
    }

    /** The newest sample taken at or before {@code at}, else the oldest. */
    private static <T> Sample<T> baseline(Deque<Sample<T>> samples, Instant at) {
        Sample<T> base = samples.peekFirst();
        for (Sample<T> s : samples) {
            if (s.at().isAfter(at)) break;
            base = s;
        }
        return base;
    }

    /** Drops what it remembers of containers the service no longer runs, and of reports long gone. */
    private void forget(ClusterView.ServiceView service, Instant now) {
        String prefix = service.key().namespace() + "." + service.key().service() + ".";
        Set<String> ids = new HashSet<>();
        service.containers().forEach(c -> ids.add(c.row().id()));
        cpu.keySet().removeIf(id -> id.startsWith(prefix) && !ids.contains(id));
        served.values()
                .removeIf(samples -> samples.isEmpty()
                        || Duration.between(samples.peekLast().at(), now).compareTo(KEEP) > 0);
    }
}
