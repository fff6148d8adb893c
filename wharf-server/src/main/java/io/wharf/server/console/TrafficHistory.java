package io.wharf.server.console;

import io.wharf.client.wire.Served;
import io.wharf.core.registry.ServiceKey;
import io.wharf.server.cluster.Latencies;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * What the load balancers served of each service over the last {@link #WINDOW}: one {@link Point} per sample, in a
 * ring per service, for the console's charts. Each sample takes every load balancer's newest report of each
 * service and counts what changed since that balancer's report at the previous sample, so the figures are those of
 * the reports' own interval, not of when the sample happened to run.
 *
 * <p>A balancer seen for the first time adds nothing (what it counted before is not of this window); one whose
 * counts went down started again and adds what it has counted since. Not thread-safe by itself: every method
 * holds the instance's lock.
 */
public final class TrafficHistory {
    /** How often a point is taken. */
    public static final Duration STEP = Duration.ofSeconds(5);
    /** How far back points are kept. */
    public static final Duration WINDOW = Duration.ofMinutes(15);

    private static final int POINTS = (int) (WINDOW.toSeconds() / STEP.toSeconds());

    /**
     * One sample of a service, every load balancer together.
     *
     * @param requestsPerSecond requests answered or failed per second
     * @param errorRate failed requests (5xx answers included) over all, 0 when there were none
     * @param p50Millis the median response time, empty when nothing was answered
     */
    public record Point(
            Instant at,
            double requestsPerSecond,
            double errorRate,
            Optional<Double> p50Millis,
            Optional<Double> p95Millis,
            Optional<Double> p99Millis) {}

    /** One load balancer's report of one service: what it counted of each endpoint since it began. */
    public record Report(String balancer, ServiceKey service, Instant reportedAt, Map<String, Served> served) {}

    private record Seen(Instant at, Map<String, Served> served) {}

    private final Map<String, Seen> previous = new HashMap<>();
    private final Map<ServiceKey, Deque<Point>> points = new HashMap<>();

    /** Takes one sample at {@code now} from every balancer's newest {@code reports}. */
    public synchronized void sample(List<Report> reports, Instant now) {
        Map<ServiceKey, Sum> sums = new HashMap<>();
        for (Report r : reports) {
            String id = r.balancer() + " " + r.service();
            Seen before = previous.put(id, new Seen(r.reportedAt(), r.served()));
            if (before == null) continue;
            double seconds = Duration.between(before.at(), r.reportedAt()).toNanos() / 1e9;
            if (seconds <= 0) continue; // no report since the last sample: nothing new to say
            Sum sum = sums.computeIfAbsent(r.service(), k -> new Sum());
            long requests = 0;
            for (Map.Entry<String, Served> e : r.served().entrySet()) {
                Served is = e.getValue();
                Served was = before.served().get(e.getKey());
                boolean continued = was != null && is.requests() >= was.requests();
                requests += continued ? is.requests() - was.requests() : is.requests();
                sum.failures += continued ? Math.max(0, is.failures() - was.failures()) : is.failures();
                Optional<Histogram> after = Latencies.decode(is.latency().orElse(""));
                if (after.isEmpty()) continue;
                Optional<Histogram> base =
                        continued ? Latencies.decode(was.latency().orElse("")) : Optional.empty();
                sum.latency.add(base.map(b -> Latencies.since(b, after.get())).orElse(after.get()));
            }
            sum.requests += requests;
            sum.perSecond += requests / seconds;
        }
        for (Map.Entry<ServiceKey, Sum> e : sums.entrySet()) {
            Sum s = e.getValue();
            Deque<Point> ring = points.computeIfAbsent(e.getKey(), k -> new ArrayDeque<>());
            ring.addLast(new Point(
                    now,
                    s.perSecond,
                    s.requests == 0 ? 0 : Math.min(1, (double) s.failures / s.requests),
                    percentile(s.latency, 50),
                    percentile(s.latency, 95),
                    percentile(s.latency, 99)));
            while (ring.size() > POINTS) ring.pollFirst();
        }
        Instant horizon = now.minus(WINDOW);
        points.values().removeIf(ring -> ring.peekLast().at().isBefore(horizon));
        previous.values().removeIf(seen -> seen.at().isBefore(horizon));
    }

    /** The points of {@code service}, oldest first. */
    public synchronized List<Point> points(ServiceKey service) {
        Deque<Point> ring = points.get(service);
        return ring == null ? List.of() : new ArrayList<>(ring);
    }

    /** The newest point of {@code service}, if it has any. */
    public synchronized Optional<Point> latest(ServiceKey service) {
        Deque<Point> ring = points.get(service);
        return ring == null ? Optional.empty() : Optional.of(ring.peekLast());
    }

    private static Optional<Double> percentile(Histogram h, double p) {
        if (h.getTotalCount() == 0) return Optional.empty();
        return Optional.of(h.getValueAtPercentile(p) / 1000.0);
    }

    private static final class Sum {
        long requests;
        long failures;
        double perSecond;
        final Histogram latency = new Histogram(3);
    }
}
