package io.wharf.server.release;

import io.wharf.client.wire.Registration;
import io.wharf.client.wire.ReleaseStep;
import io.wharf.core.cluster.ContainerRecord;
import io.wharf.server.cluster.ClusterView;
import io.wharf.server.operation.AwaitServing;
import io.wharf.server.operation.Drain;
import io.wharf.server.operation.Intent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An endpoint released start-first (claim 001.9): a container of the new version starts beside it on its own
 * IP while the service's other endpoints take its share; once the new one passes a health check it is
 * registered, and the load balancers' counts of it are watched — after a warm-up, so that a cold start is
 * not held against it. If it served well it stays and the old endpoint drains and is stopped; if not, the old
 * endpoint is registered again first, then the new one drains and is stopped. A service with no other
 * endpoint keeps the old one registered until the new one is.
 */
final class StartFirst {
    /** The share of the watch that is warm-up, not judged. */
    static final double WARM_UP = 0.2;
    /** How many watch windows a watch waits at most for its least number of requests. */
    static final int PATIENCE = 3;

    private StartFirst() {}

    static Move step(ReleaseState r, EndpointRelease e, ClusterView.ServiceView s, Instant now) {
        return switch (e.step()) {
            case PENDING -> begin(r, e, s, now);
            case STARTING -> starting(r, e, s, now);
            case WATCHING -> watching(r, e, s, now);
            case RETIRING -> retiring(r, e, s, now);
            case ROLLING_BACK -> rollingBack(r, e, s, now);
            default -> new Move(e, List.of());
        };
    }

    /** The new container's id is chosen and stored before it is placed, so it is placed at most once. */
    private static Move begin(ReleaseState r, EndpointRelease e, ClusterView.ServiceView s, Instant now) {
        int highest = s.highestOrdinal();
        for (EndpointRelease other : r.endpoints()) {
            if (!other.replacement().isEmpty()) highest = Math.max(highest, ordinal(other.replacement()));
        }
        String id = ContainerRecord.idOf(r.key(), highest + 1);
        List<Intent> intents = new ArrayList<>(
                List.of(new Intent.Place(r.key(), List.of(highest + 1), r.target(), Registration.PAUSED)));
        EndpointRelease.Edit next = e.edit().replacement(id, "", "").to(ReleaseStep.STARTING, now);
        if (othersServing(s, e)) {
            intents.addAll(takeOut(r, e)); // its share goes to the others while the new one starts
            next.deregistered(true);
        }
        return new Move(next.done(), intents);
    }

    private static Move starting(ReleaseState r, EndpointRelease e, ClusterView.ServiceView s, Instant now) {
        if (e.noRoom()) {
            return new Move(
                    e.edit()
                            .reason("no ready host has room for a container of " + r.version() + " beside it")
                            .to(ReleaseStep.FAILED, now)
                            .done(),
                    giveBack(r, e, s));
        }
        Optional<ClusterView.ContainerView> placed = s.container(e.replacement());
        if (placed.isEmpty()) {
            return Move.stay(
                    e,
                    "its new container to be placed",
                    new Intent.Place(r.key(), List.of(ordinal(e.replacement())), r.target(), Registration.PAUSED));
        }
        ContainerRecord row = placed.get().row();
        EndpointRelease placedE = e.replacementEndpoint().isEmpty()
                ? e.edit()
                        .replacement(e.replacement(), row.endpoint().toString(), row.hostId())
                        .done()
                : e;
        var budget =
                new AwaitServing.Budget(r.healthChecks(), InPlace.MAX_RESTARTS, InPlace.START_LIMIT, Duration.ZERO);
        AwaitServing.Result result = AwaitServing.check(
                s, e.replacement(), r.target(), false, budget, e.since(ReleaseStep.STARTING, now), now);
        return switch (result) {
            case AwaitServing.Result.Waiting w ->
                Move.stay(placedE.edit().checks(w.checks()).done(), w.why());
            case AwaitServing.Result.Failed f ->
                rollBack(r, placedE.edit().checks(f.checks()).done(), s, now, f.reason());
            case AwaitServing.Result.Serving ok -> {
                List<Intent> intents =
                        new ArrayList<>(List.of(new Intent.Register(r.key(), e.replacement(), r.version())));
                EndpointRelease.Edit next = placedE.edit().checks(ok.checks()).to(ReleaseStep.WATCHING, now);
                if (!e.deregistered()) {
                    intents.addAll(takeOut(r, e));
                    next.deregistered(true);
                }
                yield new Move(next.done(), intents);
            }
        };
    }

    private static Move watching(ReleaseState r, EndpointRelease e, ClusterView.ServiceView s, Instant now) {
        boolean healthy = s.container(e.replacement())
                .map(c -> !c.hostReady() || c.observed().map(o -> o.healthy()).orElse(false))
                .orElse(false);
        if (!healthy) {
            return rollBack(
                    r, e, s, now, "new endpoint " + e.replacementEndpoint() + " failed its health check while watched");
        }
        Optional<ClusterView.RegisteredView> added =
                Optional.ofNullable(s.registered().get(e.replacementEndpoint()));
        if (added.isEmpty()) {
            return Move.stay(e, "its registration", new Intent.Register(r.key(), e.replacement(), r.version()));
        }
        long window = r.watchMillis();
        if (e.watchStart().isEmpty()) {
            // the window opens once every load balancer routes to it (bounded, like a drain)
            boolean applied = s.loadBalancers().stream()
                    .allMatch(lb ->
                            !lb.hostReady() || lb.revision() >= added.get().revision());
            long waited =
                    Duration.between(e.since(ReleaseStep.WATCHING, now), now).toMillis();
            if (applied || waited >= r.drainTimeoutMillis()) {
                return new Move(e.edit().watchFrom(now).waitingFor("warm-up").done(), List.of());
            }
            return Move.stay(e, "the load balancers to route to it");
        }
        long elapsed = Duration.between(e.watchStart().get(), now).toMillis();
        long warmUp = Math.round(window * WARM_UP);
        if (e.baselineCounts().isEmpty()) {
            if (elapsed < warmUp) return Move.stay(e, "warm-up");
            return new Move(
                    e.edit().baseline(Watch.counts(s)).waitingFor("the watch").done(), List.of());
        }
        if (elapsed < window) return Move.stay(e, "the watch");
        Watch.Seen seen = Watch.seen(e.baselineCounts().get(), Watch.counts(s), e.endpoint(), e.replacementEndpoint());
        String summary =
                seen.summary() + " in " + Duration.ofMillis(elapsed - warmUp).toSeconds() + " s after a "
                        + String.format(Locale.ROOT, "%.1f", warmUp / 1000.0) + " s warm-up";
        long requests = seen.fresh().requests();
        if (requests < r.minRequests() && !r.allowUnwatched()) {
            if (elapsed < PATIENCE * window) {
                return Move.stay(e, "at least " + r.minRequests() + " requests to judge by (" + requests + " so far)");
            }
            return rollBack(
                    r,
                    e.edit().watch(summary).done(),
                    s,
                    now,
                    "new endpoint " + e.replacementEndpoint() + " got " + requests + " requests in "
                            + Duration.ofMillis(elapsed - warmUp).toSeconds() + " s, fewer than the "
                            + r.minRequests()
                            + " needed to judge it (release with --allow-unwatched to switch anyway)");
        }
        Optional<String> wrong = seen.problem(r.maxErrorRate(), r.maxLatencyRatio());
        if (wrong.isPresent()) {
            return rollBack(
                    r,
                    e.edit().watch(summary).done(),
                    s,
                    now,
                    "new endpoint " + e.replacementEndpoint() + " " + wrong.get());
        }
        String verdict = requests < r.minRequests() ? summary + "; too few to judge, switched as allowed" : summary;
        return new Move(
                e.edit().watch(verdict).to(ReleaseStep.RETIRING, now).done(),
                List.of(new Intent.SetRegistration(e.replacement(), Registration.ACTIVE))); // 001.7, for the new one
    }

    /** The new endpoint stays: the old one, out of the registry, finishes what it has and is stopped. */
    private static Move retiring(ReleaseState r, EndpointRelease e, ClusterView.ServiceView s, Instant now) {
        if (s.isRegistered(e.endpoint())) {
            return Move.stay(e, "its removal from the registry", takeOut(r, e).toArray(Intent[]::new));
        }
        Drain.Result drain = Drain.check(
                s, e.endpoint(), e.since(ReleaseStep.RETIRING, now), Duration.ofMillis(r.drainTimeoutMillis()), now);
        return switch (drain) {
            case Drain.Result.Waiting w -> Move.stay(e, String.join(", ", w.pending()));
            case Drain.Result.Drained d ->
                new Move(
                        e.edit()
                                .drained(d.how(), d.millis())
                                .to(ReleaseStep.DONE, now)
                                .done(),
                        List.of(new Intent.TakeBack(r.key(), List.of(e.container()))));
        };
    }

    /** Traffic goes back to the old endpoint first; the new one then drains and is stopped. */
    private static Move rollBack(
            ReleaseState r, EndpointRelease e, ClusterView.ServiceView s, Instant now, String why) {
        List<Intent> intents = new ArrayList<>(giveBack(r, e, s));
        if (!e.replacementEndpoint().isEmpty()) {
            // paused first, so that its agent does not put it back (agents re-register what goes missing)
            intents.add(new Intent.SetRegistration(e.replacement(), Registration.PAUSED));
            intents.add(new Intent.Deregister(r.key(), e.replacementEndpoint()));
        }
        return new Move(e.edit().reason(why).to(ReleaseStep.ROLLING_BACK, now).done(), intents);
    }

    private static Move rollingBack(ReleaseState r, EndpointRelease e, ClusterView.ServiceView s, Instant now) {
        List<Intent> again = new ArrayList<>(giveBack(r, e, s));
        boolean placed = !e.replacementEndpoint().isEmpty();
        if (placed && s.isRegistered(e.replacementEndpoint())) {
            again.add(new Intent.SetRegistration(e.replacement(), Registration.PAUSED));
            again.add(new Intent.Deregister(r.key(), e.replacementEndpoint()));
        }
        if (placed) {
            Drain.Result drain = Drain.check(
                    s,
                    e.replacementEndpoint(),
                    e.since(ReleaseStep.ROLLING_BACK, now),
                    Duration.ofMillis(r.drainTimeoutMillis()),
                    now);
            if (drain instanceof Drain.Result.Waiting w) {
                return Move.stay(e, String.join(", ", w.pending()), again.toArray(Intent[]::new));
            }
        }
        again.add(new Intent.TakeBack(r.key(), List.of(e.replacement())));
        return new Move(e.edit().to(ReleaseStep.ROLLED_BACK, now).done(), again);
    }

    /** The old endpoint, if it was taken out, is registered again and its agent resumed (001.7). */
    private static List<Intent> giveBack(ReleaseState r, EndpointRelease e, ClusterView.ServiceView s) {
        List<Intent> intents = new ArrayList<>();
        if (e.deregistered() && !s.isRegistered(e.endpoint())) {
            intents.add(new Intent.Register(r.key(), e.container(), e.fromVersion()));
        }
        intents.add(new Intent.SetRegistration(e.container(), Registration.ACTIVE));
        return intents;
    }

    private static List<Intent> takeOut(ReleaseState r, EndpointRelease e) {
        return List.of(
                new Intent.SetRegistration(e.container(), Registration.PAUSED),
                new Intent.Deregister(r.key(), e.endpoint()));
    }

    /** Whether the service has an endpoint besides this one and its new one to take its share. */
    private static boolean othersServing(ClusterView.ServiceView s, EndpointRelease e) {
        return s.registered().keySet().stream()
                .anyMatch(id -> !id.equals(e.endpoint()) && !id.equals(e.replacementEndpoint()));
    }

    static int ordinal(String containerId) {
        return Integer.parseInt(containerId.substring(containerId.lastIndexOf('.') + 1));
    }

    /** Marks the endpoints whose new container found no room. */
    static List<EndpointRelease> noRoom(List<EndpointRelease> endpoints, List<Integer> ordinals) {
        return endpoints.stream()
                .map(e -> !e.replacement().isEmpty() && ordinals.contains(ordinal(e.replacement()))
                        ? e.edit().noRoom().done()
                        : e)
                .toList();
    }
}
