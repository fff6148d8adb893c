package io.wharf.server.release;

import io.wharf.client.wire.Registration;
import io.wharf.core.registry.ServiceKey;
import io.wharf.core.spec.ImageRef;
import io.wharf.server.cluster.Cluster;
import io.wharf.server.cluster.Reports;
import io.wharf.server.release.Release.Counts;
import io.wharf.server.release.Release.Step;
import io.wharf.store.ContainerRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Start-first releases (claim 001.9), one endpoint's steps. A new container of the new version starts on its
 * own IP while the endpoint it replaces is out of the registry and the service's other endpoints serve its
 * share; once the new one passes a health check it is registered, and every load balancer's counts of it are
 * watched for a window. If it served well, it stays and the old endpoint drains and is stopped; if not, the
 * old endpoint is registered again first, then the new one drains and is stopped. A service with no other
 * endpoint keeps the old one registered until the new one is.
 */
final class StartFirst {
    /** Mean latencies closer than this to the other endpoints' never count against a new endpoint. */
    static final long LATENCY_SLACK_MICROS = 10_000;

    private final Releases releases;

    StartFirst(Releases releases) {
        this.releases = releases;
    }

    void step(Release r, ServiceKey key, Release.Endpoint e, Instant now) {
        switch (e.step()) {
            case PENDING -> {
                // the new container's id is stored before it is placed: a restarted server places it at most once
                e.replacement = ContainerRecord.idOf(key, nextOrdinal(r, key));
                e.step = Step.STARTING.name();
            }
            case STARTING -> starting(r, key, e, now);
            case WATCHING -> watching(r, key, e, now);
            case RETIRING -> retiring(r, key, e, now);
            case ROLLING_BACK -> rollingBack(r, key, e, now);
            default -> {}
        }
    }

    private void starting(Release r, ServiceKey key, Release.Endpoint e, Instant now) {
        Cluster cluster = releases.cluster();
        Optional<Cluster.ContainerView> placed = container(e.replacement);
        if (placed.isEmpty()) {
            List<Integer> noRoom = cluster.place(
                    key, List.of(ordinal(e.replacement)), new ImageRef(imageName(key), r.version), Registration.PAUSED);
            if (!noRoom.isEmpty()) {
                e.reason = "no ready host has room for a container of " + r.version + " beside it";
                giveBack(r, key, e);
                e.step = Step.FAILED.name();
                return;
            }
            ContainerRecord n = cluster.container(e.replacement).record();
            e.replacementEndpoint = n.endpoint().toString();
            e.replacementHost = n.hostId();
            if (othersServing(key, e)) takeOut(key, e); // its share goes to the others while the new one starts
            return;
        }
        var seen = placed.get().observed();
        long pid = seen.map(o -> o.pid()).orElse(0L);
        if (pid != 0 && e.startedAt.equals(Instant.EPOCH)) e.startedAt = now;
        Duration interval = releases.checkInterval(key);
        if (!e.startedAt.equals(Instant.EPOCH)) {
            long elapsed = Duration.between(releases.counted(e.startedAt), now).toMillis();
            e.checks = (int) Math.min(r.healthChecks, elapsed / interval.toMillis() + 1);
            if (seen.isPresent() && seen.get().healthy()) {
                long at = releases.register(key, e.replacement, e.replacementEndpoint, e.replacementHost, r.version);
                if (at == 0) return; // its host has no lease yet
                e.addedAt = at;
                if (!e.deregistered) takeOut(key, e);
                e.watchFrom = Instant.EPOCH;
                e.step = Step.WATCHING.name();
                return;
            }
        }
        boolean outOfChecks = !e.startedAt.equals(Instant.EPOCH)
                && Duration.between(releases.counted(e.startedAt), now).compareTo(interval.multipliedBy(r.healthChecks))
                        > 0;
        boolean neverStarted = e.startedAt.equals(Instant.EPOCH)
                && Duration.between(releases.counted(e.steps.getOrDefault(e.step, now)), now)
                                .compareTo(Releases.START_LIMIT)
                        > 0;
        if (outOfChecks || neverStarted) {
            e.reason = neverStarted
                    ? "version " + r.version + " did not start within " + Releases.START_LIMIT.toSeconds() + " s"
                    : "version " + r.version + " failed " + r.healthChecks + " health checks";
            rollBack(r, key, e);
        }
    }

    private void watching(Release r, ServiceKey key, Release.Endpoint e, Instant now) {
        Cluster cluster = releases.cluster();
        boolean healthy = container(e.replacement)
                .flatMap(Cluster.ContainerView::observed)
                .map(o -> o.healthy())
                .orElse(false);
        if (e.watchFrom.equals(Instant.EPOCH)) {
            // the window opens once every load balancer sends it traffic (bounded, like a drain)
            boolean applied = cluster.load(key).stream().allMatch(lb -> lb.revision() >= e.addedAt);
            Instant since = e.steps.getOrDefault(Step.WATCHING.name(), now);
            if (applied || Duration.between(since, now).toMillis() >= r.drainTimeoutMillis) {
                e.baseline = counts(key);
                e.watchFrom = now;
            }
            return;
        }
        boolean over = Duration.between(e.watchFrom, now).toMillis() >= r.watchMillis;
        if (!over && healthy) return;
        Watch watch = watch(e, e.baseline, counts(key));
        long seconds = Duration.between(e.watchFrom, now).toSeconds();
        e.watch = watch.summary() + " in " + seconds + " s";
        Optional<String> wrong = healthy
                ? watch.problem(r.maxErrorRate, r.maxLatencyRatio)
                : Optional.of("failed its health check while watched");
        if (wrong.isEmpty()) {
            cluster.setRegistration(e.replacement, Registration.ACTIVE); // 001.7, for the new one
            e.step = Step.RETIRING.name();
        } else {
            e.reason = "new endpoint " + e.replacementEndpoint + " " + wrong.get();
            rollBack(r, key, e);
        }
    }

    /** The new endpoint stays: the old one, long out of the registry, finishes what it has and is stopped. */
    private void retiring(Release r, ServiceKey key, Release.Endpoint e, Instant now) {
        Instant since = e.steps.getOrDefault(Step.RETIRING.name(), now);
        long waited = Duration.between(since, now).toMillis();
        List<String> pending = releases.undrained(key, e.endpoint, e.removedAt);
        if (!pending.isEmpty() && waited < r.drainTimeoutMillis) return;
        e.drain = pending.isEmpty() ? "acknowledged" : "timeout (still waiting for " + pending + ")";
        e.drainMillis = waited;
        releases.cluster().takeBack(key, List.of(e.container));
        e.step = Step.DONE.name();
    }

    /** Traffic goes back to the old endpoint first; the new one then drains and is stopped. */
    private void rollBack(Release r, ServiceKey key, Release.Endpoint e) {
        giveBack(r, key, e);
        e.replacementRemovedAt = e.replacementEndpoint.isEmpty() || !releases.registered(key, e.replacementEndpoint)
                ? 0
                : releases.deregister(key, e.replacementEndpoint);
        e.step = Step.ROLLING_BACK.name();
    }

    private void rollingBack(Release r, ServiceKey key, Release.Endpoint e, Instant now) {
        if (e.deregistered && !releases.registered(key, e.endpoint)) giveBack(r, key, e); // after a restart
        Instant since = e.steps.getOrDefault(Step.ROLLING_BACK.name(), now);
        List<String> pending = e.replacementEndpoint.isEmpty()
                ? List.of()
                : releases.undrained(key, e.replacementEndpoint, e.replacementRemovedAt);
        if (!pending.isEmpty() && Duration.between(since, now).toMillis() < r.drainTimeoutMillis) return;
        releases.cluster().takeBack(key, List.of(e.replacement));
        e.step = Step.ROLLED_BACK.name();
    }

    /** The old endpoint, if it was taken out, is registered again and its agent resumed (001.7). */
    private void giveBack(Release r, ServiceKey key, Release.Endpoint e) {
        if (e.deregistered) {
            releases.register(key, e.container, e.endpoint, e.host, e.fromVersion);
        }
        releases.cluster().setRegistration(e.container, Registration.ACTIVE);
    }

    private void takeOut(ServiceKey key, Release.Endpoint e) {
        e.removedAt = releases.deregister(key, e.endpoint);
        releases.cluster().setRegistration(e.container, Registration.PAUSED);
        e.deregistered = true;
    }

    /** Whether the service has an endpoint besides this one (and its new one) to take its share. */
    private boolean othersServing(ServiceKey key, Release.Endpoint e) {
        return releases.registry().snapshot(key).endpoints().stream()
                .map(x -> x.endpoint().id().toString())
                .anyMatch(id -> !id.equals(e.endpoint) && !id.equals(e.replacementEndpoint));
    }

    private int nextOrdinal(Release r, ServiceKey key) {
        int highest = releases.cluster().highestOrdinal(key);
        for (Release.Endpoint other : r.endpoints) {
            if (!other.replacement.isEmpty()) highest = Math.max(highest, ordinal(other.replacement));
        }
        return highest + 1;
    }

    private static int ordinal(String containerId) {
        return Integer.parseInt(containerId.substring(containerId.lastIndexOf('.') + 1));
    }

    private Optional<Cluster.ContainerView> container(String id) {
        try {
            return Optional.of(releases.cluster().container(id));
        } catch (io.wharf.core.NotFoundException absent) {
            return Optional.empty();
        }
    }

    private String imageName(ServiceKey key) {
        return releases.cluster().spec(key).map(s -> s.image().name()).orElse("");
    }

    /** Per load balancer and endpoint, what it has served so far. */
    private Map<String, Counts> counts(ServiceKey key) {
        Map<String, Counts> out = new LinkedHashMap<>();
        for (Cluster.HostLoad lb : releases.cluster().load(key)) {
            for (Map.Entry<String, Reports.Served> s : lb.served().entrySet()) {
                Reports.Served n = s.getValue();
                out.put(lb.host() + " " + s.getKey(), new Counts(n.requests(), n.failures(), n.totalMicros()));
            }
        }
        return out;
    }

    /** What the new endpoint and the others served between {@code from} and {@code to}. */
    static Watch watch(Release.Endpoint e, Map<String, Counts> from, Map<String, Counts> to) {
        long req = 0, failed = 0, micros = 0, otherReq = 0, otherFailed = 0, otherMicros = 0;
        for (Map.Entry<String, Counts> c : to.entrySet()) {
            String endpoint = c.getKey().substring(c.getKey().indexOf(' ') + 1);
            if (endpoint.equals(e.endpoint)) continue;
            Counts was = from.get(c.getKey());
            Counts now = c.getValue();
            // counts start again when an endpoint leaves a load balancer and comes back
            Counts d = was == null || now.requests() < was.requests()
                    ? now
                    : new Counts(
                            now.requests() - was.requests(),
                            now.failures() - was.failures(),
                            now.micros() - was.micros());
            if (endpoint.equals(e.replacementEndpoint)) {
                req += d.requests();
                failed += d.failures();
                micros += d.micros();
            } else {
                otherReq += d.requests();
                otherFailed += d.failures();
                otherMicros += d.micros();
            }
        }
        return new Watch(req, failed, mean(micros, req - failed), otherReq, mean(otherMicros, otherReq - otherFailed));
    }

    private static long mean(long micros, long n) {
        return n <= 0 ? 0 : micros / n;
    }

    /**
     * What a watch saw: the new endpoint's requests, failures and mean latency, and the other endpoints'
     * requests and mean latency over the same window.
     */
    record Watch(long requests, long failures, long meanMicros, long otherRequests, long otherMeanMicros) {
        /** Why the new endpoint did not serve well, if it did not. */
        Optional<String> problem(double maxErrorRate, double maxLatencyRatio) {
            if (requests > 0 && failures > maxErrorRate * requests) {
                return Optional.of(String.format(
                        Locale.ROOT,
                        "failed %d of %d requests (%.1f %%, allowed %.1f %%)",
                        failures,
                        requests,
                        100.0 * failures / requests,
                        100 * maxErrorRate));
            }
            if (requests > failures
                    && otherRequests > 0
                    && meanMicros > maxLatencyRatio * otherMeanMicros
                    && meanMicros - otherMeanMicros > LATENCY_SLACK_MICROS) {
                return Optional.of(String.format(
                        Locale.ROOT,
                        "answered in %s on average, the other endpoints in %s (allowed %.1f×)",
                        millis(meanMicros),
                        millis(otherMeanMicros),
                        maxLatencyRatio));
            }
            return Optional.empty();
        }

        String summary() {
            if (requests == 0) return "no requests reached the new endpoint";
            return String.format(
                    Locale.ROOT,
                    "%d requests, %d failed, mean %s (other endpoints %s)",
                    requests,
                    failures,
                    millis(meanMicros),
                    otherRequests == 0 ? "idle" : millis(otherMeanMicros));
        }

        private static String millis(long micros) {
            return String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
        }
    }
}
