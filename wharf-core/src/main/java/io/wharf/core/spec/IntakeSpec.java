package io.wharf.core.spec;

import static java.util.Objects.requireNonNull;

import io.wharf.core.Durations;
import io.wharf.core.InvalidInputException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A fair intake in front of a service (claims 002.2–002.6): requests reach it on {@code port}, are ordered by
 * their clients' send times and handed to the service by order key; each client is answered with its result.
 *
 * @param port where clients reach the intake
 * @param backend where requests are kept between the client and the service: {@code embedded} (the server's
 *     disk), {@code redis://HOST:PORT} (Redis Streams) or {@code amqp://[USER:PASSWORD@]HOST:PORT[/VHOST]}
 *     (RabbitMQ streams)
 * @param skew how much disorder the re-ordering waits out (the watermark's bound)
 * @param maxDelay how far before its arrival a request's stamp may be
 * @param clockTolerance how far after its arrival a request's stamp may be
 * @param orderKeyHeader the header whose value orders requests one after another
 * @param maxInFlight how many order keys are processed at once
 * @param timeout how long a client is held for its result before a {@code 202}
 */
public record IntakeSpec(
        int port,
        String backend,
        Duration skew,
        Duration maxDelay,
        Duration clockTolerance,
        String orderKeyHeader,
        int maxInFlight,
        Duration timeout) {
    private static final Set<String> FIELDS =
            Set.of("port", "backend", "skew", "maxDelay", "clockTolerance", "orderKeyHeader", "maxInFlight", "timeout");

    public IntakeSpec {
        requireNonNull(backend, "backend");
        requireNonNull(skew, "skew");
        requireNonNull(maxDelay, "maxDelay");
        requireNonNull(clockTolerance, "clockTolerance");
        requireNonNull(orderKeyHeader, "orderKeyHeader");
        requireNonNull(timeout, "timeout");
    }

    /**
     * Reads an intake block on its own (as {@code wharf intake} gets it from its options).
     *
     * @throws InvalidInputException naming every wrong field
     */
    public static IntakeSpec of(Map<String, ?> block) {
        Fields f = new Fields();
        Optional<IntakeSpec> spec = read(f, Map.of("intake", block));
        if (!f.wrong.isEmpty()) throw new InvalidInputException(f.wrong);
        return spec.orElseThrow();
    }

    /** Reads the {@code intake} block of a spec; what is wrong goes to {@code f}. */
    static Optional<IntakeSpec> read(Fields f, Map<String, ?> spec) {
        if (spec.get("intake") == null) return Optional.empty();
        if (!(spec.get("intake") instanceof Map<?, ?>)) {
            f.map(spec, "intake"); // names it
            return Optional.empty();
        }
        Map<String, ?> i = f.map(spec, "intake");
        f.unknown("intake.", i, FIELDS);
        long port = f.integer(i, "intake.port", i.get("port"), -1);
        if (i.get("port") == null) f.add("intake.port", "missing (expected: the port clients reach the intake on)");
        else if (port < 1 || port > 65535) f.add("intake.port", port + " (expected: 1..65535)");
        String backend = i.get("backend") == null ? EMBEDDED : i.get("backend").toString();
        if (!backend.equals(EMBEDDED) && !isServer(backend, "redis") && !isServer(backend, "amqp")) {
            f.add(
                    "intake.backend",
                    "'" + backend.replaceFirst("//[^@/]*@", "//")
                            + "' (expected: embedded, redis://HOST:PORT or amqp://[USER:PASSWORD@]HOST:PORT)");
        }
        Duration skew = bounded(f, i, "skew", Duration.ofMillis(250), Duration.ZERO, Duration.ofSeconds(30));
        Duration maxDelay = bounded(f, i, "maxDelay", Duration.ofSeconds(2), Duration.ZERO, Duration.ofMinutes(1));
        Duration tolerance =
                bounded(f, i, "clockTolerance", Duration.ofMillis(100), Duration.ZERO, Duration.ofSeconds(10));
        Duration timeout = bounded(f, i, "timeout", Duration.ofSeconds(10), Duration.ZERO, Duration.ofMinutes(10));
        Object header = i.get("orderKeyHeader");
        String orderKey = header == null ? "Wharf-Order-Key" : header.toString();
        if (!orderKey.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}")) {
            f.add("intake.orderKeyHeader", "'" + orderKey + "' (expected: a header name)");
        }
        long inFlight = f.integer(i, "intake.maxInFlight", i.get("maxInFlight"), 64);
        if (inFlight < 1 || inFlight > 10_000) f.add("intake.maxInFlight", inFlight + " (expected: 1..10000)");
        return Optional.of(new IntakeSpec(
                (int) Math.max(1, Math.min(65535, port)),
                backend,
                skew,
                maxDelay,
                tolerance,
                orderKey,
                (int) Math.max(1, Math.min(10_000, inFlight)),
                timeout));
    }

    /** The backend that keeps requests on the server's own disk. */
    public static final String EMBEDDED = "embedded";

    /** Whether {@code backend} names a server by {@code scheme}: {@code SCHEME://[USER@]HOST:PORT[/PATH]}. */
    static boolean isServer(String backend, String scheme) {
        try {
            java.net.URI u = new java.net.URI(backend);
            return scheme.equals(u.getScheme()) && u.getHost() != null && u.getPort() > 0;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static Duration bounded(
            Fields f, Map<String, ?> i, String name, Duration fallback, Duration min, Duration max) {
        Duration d = f.duration(i, "intake." + name, i.get(name), fallback);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            f.add(
                    "intake." + name,
                    Durations.format(d) + " (expected: " + Durations.format(min) + ".." + Durations.format(max) + ")");
            return fallback;
        }
        return d;
    }

    /** The document form, as {@link #read} takes it. */
    Map<String, Object> toDocument() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("port", port);
        doc.put("backend", backend);
        doc.put("skew", Durations.format(skew));
        doc.put("maxDelay", Durations.format(maxDelay));
        doc.put("clockTolerance", Durations.format(clockTolerance));
        doc.put("orderKeyHeader", orderKeyHeader);
        doc.put("maxInFlight", maxInFlight);
        doc.put("timeout", Durations.format(timeout));
        return doc;
    }
}
