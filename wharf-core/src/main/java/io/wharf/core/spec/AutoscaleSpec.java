package io.wharf.core.spec;

import static java.util.Objects.requireNonNull;

import io.wharf.core.Durations;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How the platform sizes a service by itself (claims 002.7, 004.7): between {@code min} and {@code max}
 * containers, so that each metric given stays near its target.
 *
 * @param min the fewest containers
 * @param max the most containers
 * @param cpuPercent mean CPU use per container, in percent of its {@code resources.cpu} (of one core where
 *     that is unset)
 * @param memoryPercent resident memory per container, in percent of its {@code resources.memory}
 * @param latency the service's p95 response time as its load balancers measure it
 * @param requestsPerSecond requests per second per container
 * @param scaleInAfter how long every metric must stay under its target before a container is taken away
 * @param scaleInStep how many containers at most go per {@code scaleInAfter}
 */
public record AutoscaleSpec(
        int min,
        int max,
        OptionalDouble cpuPercent,
        OptionalDouble memoryPercent,
        Optional<Duration> latency,
        OptionalDouble requestsPerSecond,
        Duration scaleInAfter,
        int scaleInStep) {
    /** The default time every metric must stay low before a scale-in. */
    public static final Duration SCALE_IN_AFTER = Duration.ofSeconds(60);

    private static final Set<String> FIELDS =
            Set.of("min", "max", "cpu", "memory", "latency", "requestsPerSecond", "scaleIn");

    public AutoscaleSpec {
        requireNonNull(cpuPercent, "cpuPercent");
        requireNonNull(memoryPercent, "memoryPercent");
        requireNonNull(latency, "latency");
        requireNonNull(requestsPerSecond, "requestsPerSecond");
        requireNonNull(scaleInAfter, "scaleInAfter");
    }

    /** {@code count} kept within {@code min..max}. */
    public int clamp(int count) {
        return Math.max(min, Math.min(max, count));
    }

    /** Reads the {@code autoscale} block of a spec; what is wrong goes to {@code f}. */
    static Optional<AutoscaleSpec> read(Fields f, Map<String, ?> spec, long memoryMb) {
        if (spec.get("autoscale") == null) return Optional.empty();
        if (!(spec.get("autoscale") instanceof Map<?, ?>)) {
            f.map(spec, "autoscale"); // names it
            return Optional.empty();
        }
        Map<String, ?> a = f.map(spec, "autoscale");
        f.unknown("autoscale.", a, FIELDS);
        long min = f.integer(a, "autoscale.min", a.get("min"), 1);
        long max = f.integer(a, "autoscale.max", a.get("max"), -1);
        if (min < 1 || min > SpecParser.MAX_REPLICAS) {
            f.add("autoscale.min", min + " (expected: 1.." + SpecParser.MAX_REPLICAS + ")");
        }
        if (a.get("max") == null) {
            f.add("autoscale.max", "missing (expected: the most containers, at least min)");
        } else if (max < min || max > SpecParser.MAX_REPLICAS) {
            f.add("autoscale.max", max + " (expected: " + min + ".." + SpecParser.MAX_REPLICAS + ", at least min)");
        }
        OptionalDouble cpu = percent(f, a, "cpu");
        OptionalDouble memory = percent(f, a, "memory");
        if (memory.isPresent() && memoryMb <= 0) {
            f.add("autoscale.memory", "needs resources.memory: a percentage is of the container's memory limit");
        }
        Optional<Duration> latency =
                Optional.ofNullable(a.get("latency")).map(v -> f.duration(a, "autoscale.latency", v, Duration.ZERO));
        latency.filter(d -> d.compareTo(Duration.ofMillis(1)) < 0 || d.compareTo(Duration.ofMinutes(1)) > 0)
                .ifPresent(d -> f.add("autoscale.latency", Durations.format(d) + " (expected: 1ms..1m)"));
        OptionalDouble rps = OptionalDouble.empty();
        if (a.get("requestsPerSecond") != null) {
            double r = f.number(a, "autoscale.requestsPerSecond", a.get("requestsPerSecond"), -1);
            if (r <= 0 || r > 1_000_000) {
                f.add("autoscale.requestsPerSecond", a.get("requestsPerSecond") + " (expected: > 0, per container)");
            }
            rps = OptionalDouble.of(r);
        }
        if (cpu.isEmpty() && memory.isEmpty() && latency.isEmpty() && rps.isEmpty()) {
            f.add("autoscale", "no target (expected at least one of: cpu, memory, latency, requestsPerSecond)");
        }
        Map<String, ?> in = f.map(a, "scaleIn");
        f.unknown("autoscale.scaleIn.", in, Set.of("after", "step"));
        Duration after = f.duration(in, "autoscale.scaleIn.after", in.get("after"), SCALE_IN_AFTER);
        if (after.compareTo(Duration.ofSeconds(1)) < 0 || after.compareTo(Duration.ofHours(24)) > 0) {
            f.add("autoscale.scaleIn.after", Durations.format(after) + " (expected: 1s..24h)");
        }
        long step = f.integer(in, "autoscale.scaleIn.step", in.get("step"), 1);
        if (step < 1 || step > SpecParser.MAX_REPLICAS) {
            f.add("autoscale.scaleIn.step", step + " (expected: 1.." + SpecParser.MAX_REPLICAS + ")");
        }
        return Optional.of(new AutoscaleSpec(
                (int) Math.max(1, min), (int) Math.max(Math.max(1, min), max), cpu, memory, latency, rps, after, (int)
                        Math.max(1, step)));
    }

    /** A percentage: {@code 70%} or {@code 70}, in (0, 100]. */
    private static OptionalDouble percent(Fields f, Map<String, ?> a, String name) {
        @Nullable Object v = a.get(name);
        if (v == null) return OptionalDouble.empty();
        String text = v.toString().trim();
        String number =
                text.endsWith("%") ? text.substring(0, text.length() - 1).trim() : text;
        double p;
        try {
            p = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            p = Double.NaN;
        }
        if (!(p > 0 && p <= 100)) {
            f.add("autoscale." + name, "'" + v + "' (expected: a percentage in (0, 100], e.g. 70%)");
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(p);
    }

    /** The document form, as {@link #read} takes it. */
    Map<String, Object> toDocument() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("min", min);
        doc.put("max", max);
        cpuPercent.ifPresent(p -> doc.put("cpu", format(p) + "%"));
        memoryPercent.ifPresent(p -> doc.put("memory", format(p) + "%"));
        latency.ifPresent(l -> doc.put("latency", Durations.format(l)));
        requestsPerSecond.ifPresent(r -> doc.put("requestsPerSecond", r == Math.rint(r) ? (Object) (long) r : r));
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("after", Durations.format(scaleInAfter));
        in.put("step", scaleInStep);
        doc.put("scaleIn", in);
        return doc;
    }

    private static String format(double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }
}
