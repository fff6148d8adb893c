package io.wharf.server.release;

import io.wharf.client.wire.Served;
import io.wharf.server.cluster.ClusterView;
import io.wharf.server.cluster.Latencies;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * What the watch of a start-first release saw of a new endpoint beside the service's other endpoints (claim
 * 001.9), from the load balancers' counts, and whether it served well. A new instance is judged on what it
 * served after a warm-up, by statistics that a few slow requests cannot move: it is slow only if its median
 * and, once there are enough requests, its 90th percentile are both over the allowed ratio of the others';
 * the mean stands in only with load balancers that send no latency histograms.
 */
final class Watch {
    /** Latencies closer than this to the other endpoints' never count against a new endpoint. */
    static final long LATENCY_SLACK_MICROS = 10_000;
    /** Answers a side needs before its 90th percentile is used rather than its median. */
    static final long P90_SAMPLES = 50;

    private Watch() {}

    /** Per load balancer and endpoint ({@code "host ip_port"}), what each load balancer in contact has counted. */
    static Map<String, Sample> counts(ClusterView.ServiceView service) {
        Map<String, Sample> out = new LinkedHashMap<>();
        for (ClusterView.LbView lb : service.loadBalancers()) {
            if (!lb.hostReady()) continue;
            for (Map.Entry<String, Served> s : lb.served().entrySet()) {
                out.put(lb.host() + " " + s.getKey(), Sample.of(s.getValue()));
            }
        }
        return out;
    }

    /** One side's part of a watch: requests, failures, and the times of those answered. */
    record Side(long requests, long failures, long micros, Optional<Histogram> latency) {
        long answered() {
            return requests - failures;
        }

        Side plus(Side o) {
            Optional<Histogram> h;
            if (latency.isPresent() && o.latency.isPresent()) {
                Histogram sum = latency.get().copy();
                sum.add(o.latency.get());
                h = Optional.of(sum);
            } else {
                h = latency.isPresent() ? latency : o.latency;
            }
            return new Side(requests + o.requests, failures + o.failures, micros + o.micros, h);
        }

        static final Side NONE = new Side(0, 0, 0, Optional.empty());
    }

    /** The new endpoint's side and the other endpoints' over the same window. */
    record Seen(Side fresh, Side others) {
        /**
         * The statistics both sides are judged by, each with its value on each side in microseconds: the median
         * and the 90th percentile once each side answered {@link #P90_SAMPLES}, the median alone before, the mean
         * from load balancers that send no histograms.
         */
        List<Statistic> statistics() {
            boolean histograms = fresh.latency.isPresent() && (others.answered() == 0 || others.latency.isPresent());
            if (!histograms) {
                return List.of(new Statistic("mean", mean(fresh), mean(others)));
            }
            long few = Math.min(fresh.answered(), others.answered() == 0 ? Long.MAX_VALUE : others.answered());
            Statistic median = new Statistic("median", percentile(fresh, 50), percentile(others, 50));
            return few >= P90_SAMPLES
                    ? List.of(median, new Statistic("p90", percentile(fresh, 90), percentile(others, 90)))
                    : List.of(median);
        }

        private static long mean(Side s) {
            return s.answered() <= 0 ? 0 : s.micros / s.answered();
        }

        private static long percentile(Side s, double q) {
            return s.latency
                    .filter(h -> h.getTotalCount() > 0)
                    .map(h -> h.getValueAtPercentile(q))
                    .orElse(0L);
        }

        String summary() {
            if (fresh.requests == 0) return "no requests reached the new endpoint";
            List<Statistic> st = statistics();
            return String.format(
                    Locale.ROOT,
                    "%d requests, %d failed, %s (other endpoints %s)",
                    fresh.requests,
                    fresh.failures,
                    st.stream().map(s -> s.name() + " " + millis(s.fresh())).collect(Collectors.joining(", ")),
                    others.answered() == 0
                            ? "idle"
                            : st.stream().map(s -> millis(s.others())).collect(Collectors.joining(", ")));
        }

        /**
         * Why the new endpoint did not serve well, if it did not: too many failures, or every statistic of its
         * latency over the allowed ratio of the others' (and more than the slack above it) — a slowdown all
         * through, not a tail that a cold start or a busy host can stretch on its own.
         */
        Optional<String> problem(double maxErrorRate, double maxLatencyRatio) {
            if (fresh.requests > 0 && fresh.failures > maxErrorRate * fresh.requests) {
                return Optional.of(String.format(
                        Locale.ROOT,
                        "failed %d of %d requests (%.1f %%, allowed %.1f %%)",
                        fresh.failures,
                        fresh.requests,
                        100.0 * fresh.failures / fresh.requests,
                        100 * maxErrorRate));
            }
            List<Statistic> st = statistics();
            boolean slow = fresh.answered() > 0
                    && others.answered() > 0
                    && st.stream()
                            .allMatch(s -> s.fresh() > maxLatencyRatio * s.others()
                                    && s.fresh() - s.others() > LATENCY_SLACK_MICROS);
            if (slow) {
                return Optional.of(String.format(
                        Locale.ROOT,
                        "answered in %s, the other endpoints in %s (allowed %.1f×)",
                        st.stream()
                                .map(s -> millis(s.fresh()) + " (" + s.name() + ")")
                                .collect(Collectors.joining(", ")),
                        st.stream().map(s -> millis(s.others())).collect(Collectors.joining(", ")),
                        maxLatencyRatio));
            }
            return Optional.empty();
        }
    }

    /** A statistic of response times, and its value on each side in microseconds. */
    record Statistic(String name, long fresh, long others) {}

    /**
     * What {@code fresh} and the other endpoints (all but {@code old}, which is out of the registry) served
     * between the counts {@code from} and {@code to}.
     */
    static Seen seen(Map<String, Sample> from, Map<String, Sample> to, String old, String fresh) {
        Side mine = Side.NONE;
        Side others = Side.NONE;
        for (Map.Entry<String, Sample> c : to.entrySet()) {
            String endpoint = c.getKey().substring(c.getKey().indexOf(' ') + 1);
            if (endpoint.equals(old)) continue;
            Side d = delta(from.get(c.getKey()), c.getValue());
            if (endpoint.equals(fresh)) {
                mine = mine.plus(d);
            } else {
                others = others.plus(d);
            }
        }
        return new Seen(mine, others);
    }

    /** What was counted between two samples; counts start again when an endpoint leaves a load balancer. */
    private static Side delta(Sample was, Sample now) {
        Optional<Histogram> latency = Latencies.decode(now.latency());
        if (was == null || now.requests() < was.requests()) {
            return new Side(now.requests(), now.failures(), now.totalMicros(), latency);
        }
        Optional<Histogram> before = Latencies.decode(was.latency());
        if (latency.isPresent() && before.isPresent()) {
            try {
                Histogram h = latency.get().copy();
                h.subtract(before.get());
                latency = Optional.of(h);
            } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException notASubset) {
                // the histogram started again: take all of it
            }
        }
        return new Side(
                now.requests() - was.requests(),
                now.failures() - was.failures(),
                now.totalMicros() - was.totalMicros(),
                latency);
    }

    static String millis(long micros) {
        return String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
    }
}
