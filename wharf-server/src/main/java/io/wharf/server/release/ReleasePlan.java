package io.wharf.server.release;

import io.wharf.client.wire.ReleaseRequest;
import io.wharf.core.Durations;
import io.wharf.core.InvalidInputException;
import io.wharf.core.NotFoundException;
import io.wharf.core.Violation;
import io.wharf.core.registry.Names;
import io.wharf.core.registry.ServiceKey;
import io.wharf.core.spec.ImageRef;
import io.wharf.core.spec.ServiceSpec;
import io.wharf.server.cluster.ClusterView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Turns a release request into the state of a new release, naming every wrong field at once. */
public final class ReleasePlan {
    private ReleasePlan() {}

    /** The service a request names, once its name is known to be well formed. */
    public static ServiceKey service(ReleaseRequest req) {
        if (req.service().isEmpty()) {
            throw InvalidInputException.of("service", "missing (expected: {\"service\":…,\"version\":…})");
        }
        return new ServiceKey(
                Names.check("namespace", req.namespace().orElse(Names.DEFAULT_NAMESPACE)),
                Names.check("service", req.service().get()));
    }

    /**
     * The state of release {@code id} of the request's service, as seen in {@code view}.
     *
     * @throws InvalidInputException naming each wrong field
     * @throws NotFoundException if the service has no spec
     */
    public static ReleaseState create(ReleaseRequest req, ClusterView view, String id) {
        ServiceKey key = service(req);
        ClusterView.ServiceView s = view.service(key);
        ServiceSpec spec = s.spec().orElseThrow(() -> new NotFoundException("service spec", key.toString()));
        List<Violation> wrong = new ArrayList<>();
        String version = req.version().orElse("");
        if (version.isEmpty()) {
            wrong.add(new Violation("version", "missing (expected: the version to release)"));
        } else if (!view.hasImage(new ImageRef(spec.image().name(), version))) {
            wrong.add(new Violation("version", spec.image().name() + ":" + version + " has not been pushed"));
        }
        var running = s.running();
        if (running.isEmpty()) {
            wrong.add(new Violation("service", key + " has no running containers to release"));
        }
        int endpoints = Math.max(1, running.size());
        int parallelism = req.parallelism().orElse(1);
        if (parallelism < 1 || parallelism > endpoints) {
            wrong.add(new Violation(
                    "parallelism", parallelism + " (expected: 1.." + endpoints + ", the service's endpoints)"));
        }
        Duration drain = duration(wrong, "drainTimeout", req.drainTimeout(), Duration.ofSeconds(20));
        if (drain.isNegative() || drain.compareTo(Duration.ofMinutes(10)) > 0) {
            wrong.add(new Violation("drainTimeout", Durations.format(drain) + " (expected: 0s..10m)"));
        }
        int checks = req.healthChecks().orElse(6);
        if (checks < 1 || checks > 100) {
            wrong.add(new Violation("healthChecks", checks + " (expected: 1..100)"));
        }
        String mode = req.mode().orElse(ReleaseState.IN_PLACE);
        boolean startFirst = mode.equals(ReleaseState.START_FIRST);
        if (!startFirst && !mode.equals(ReleaseState.IN_PLACE)) {
            wrong.add(new Violation("mode", "'" + mode + "' (expected: in-place or start-first)"));
        }
        if (startFirst && !spec.volumes().isEmpty()) {
            wrong.add(new Violation(
                    "mode",
                    "start-first (" + key + " has volumes: each container's new version takes over its volumes in"
                            + " place; use in-place)"));
        }
        boolean rollback = req.rollback().orElse(true);
        if (startFirst && !rollback) {
            wrong.add(new Violation(
                    "rollback",
                    "false (start-first always sends traffic back to the old endpoint when the new one fails)"));
        }
        Duration watch = duration(wrong, "watch", req.watch(), Duration.ofSeconds(10));
        if (watch.compareTo(Duration.ofSeconds(1)) < 0 || watch.compareTo(Duration.ofMinutes(30)) > 0) {
            wrong.add(new Violation("watch", Durations.format(watch) + " (expected: 1s..30m)"));
        }
        double errorRate = req.maxErrorRate().orElse(0.01);
        if (!(errorRate >= 0 && errorRate <= 1)) {
            wrong.add(new Violation("maxErrorRate", errorRate + " (expected: 0..1)"));
        }
        double latencyRatio = req.maxLatencyRatio().orElse(2.0);
        if (!(latencyRatio >= 1 && latencyRatio <= 100)) {
            wrong.add(new Violation("maxLatencyRatio", latencyRatio + " (expected: 1..100)"));
        }
        int minRequests = req.minRequests().orElse(20);
        if (minRequests < 1 || minRequests > 1_000_000) {
            wrong.add(new Violation("minRequests", minRequests + " (expected: 1..1000000)"));
        }
        boolean allowUnwatched = req.allowUnwatched().orElse(false);
        if (!startFirst) {
            for (var option : List.<Supplier<Optional<?>>>of(
                    req::watch, req::maxErrorRate, req::maxLatencyRatio, req::minRequests, req::allowUnwatched)) {
                if (option.get().isPresent()) {
                    wrong.add(new Violation("mode", mode + " (the watch's options are for start-first releases)"));
                    break;
                }
            }
        }
        if (!wrong.isEmpty()) throw new InvalidInputException(wrong);
        Instant now = view.now();
        return new ReleaseState(
                id,
                key.namespace(),
                key.service(),
                spec.image().name(),
                version,
                mode,
                parallelism,
                drain.toMillis(),
                checks,
                rollback,
                watch.toMillis(),
                errorRate,
                latencyRatio,
                minRequests,
                allowUnwatched,
                now,
                // a stateful service releases from its highest ordinal down, as it started from the lowest up
                (spec.stateful() ? running.reversed() : running)
                        .stream()
                                .map(c -> EndpointRelease.pending(
                                        c.row().id(),
                                        c.row().endpoint().toString(),
                                        c.row().hostId(),
                                        c.row().image().version(),
                                        now))
                                .toList());
    }

    private static Duration duration(List<Violation> wrong, String field, Optional<String> text, Duration fallback) {
        if (text.isEmpty()) return fallback;
        try {
            return Durations.parse(field, text.get());
        } catch (InvalidInputException e) {
            wrong.addAll(e.violations());
            return fallback;
        }
    }
}
