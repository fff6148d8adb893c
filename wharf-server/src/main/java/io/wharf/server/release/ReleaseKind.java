package io.wharf.server.release;

import io.wharf.client.wire.Registration;
import io.wharf.client.wire.ReleaseStep;
import io.wharf.core.registry.ServiceKey;
import io.wharf.server.cluster.ClusterView;
import io.wharf.server.operation.Intent;
import io.wharf.server.operation.OperationKind;
import io.wharf.server.operation.Outcome;
import io.wharf.server.operation.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Releases (claims 001.1-001.10) as an operation: endpoint by endpoint, up to {@code parallelism} at once,
 * each in place ({@link InPlace}) or start-first ({@link StartFirst}). Once an endpoint fails no new one
 * begins, and those under way are finished (or rolled back) before the release stops, saying why; when all
 * are done, the service's spec names the new version.
 */
public final class ReleaseKind implements OperationKind<ReleaseState> {
    /** How soon a release is stepped again when nothing wakes the engine: drains and checks run on time. */
    static final Duration RECHECK = Duration.ofMillis(100);

    @Override
    public String name() {
        return "release";
    }

    @Override
    public Class<ReleaseState> stateType() {
        return ReleaseState.class;
    }

    @Override
    public String subject(ReleaseState state) {
        return state.key().toString();
    }

    @Override
    public Set<ServiceKey> services(ReleaseState state) {
        return Set.of(state.key());
    }

    @Override
    public Step<ReleaseState> step(ReleaseState r, ClusterView view) {
        ClusterView.ServiceView s = view.service(r.key());
        Instant now = view.now();
        boolean failed = r.failure().isPresent();
        long busy = r.underWay();
        List<EndpointRelease> next = r.endpointsCopy();
        List<Intent> intents = new ArrayList<>();
        for (int i = 0; i < next.size(); i++) {
            EndpointRelease e = next.get(i);
            if (ReleaseState.ended(e.step())) continue;
            if (e.step() == ReleaseStep.PENDING) {
                // once an endpoint failed, no new one begins; those under way are finished, never left out
                if (failed || busy >= r.parallelism()) continue;
                busy++;
            }
            Move m = r.startFirst() ? StartFirst.step(r, e, s, now) : InPlace.step(r, e, s, now);
            next.set(i, m.endpoint());
            intents.addAll(m.intents());
            failed |= m.endpoint().step() == ReleaseStep.FAILED || m.endpoint().step() == ReleaseStep.ROLLED_BACK;
        }
        ReleaseState after = r.with(next);
        var failure = after.failure();
        if (failure.isPresent() && after.underWay() == 0) {
            return new Step.Failed<>(
                    after,
                    intents,
                    failure.get().container() + ": " + failure.get().reason());
        }
        if (after.endpoints().stream().allMatch(e -> e.step() == ReleaseStep.DONE)) {
            intents.add(new Intent.SetSpecImage(r.key(), r.target()));
            return new Step.Done<>(after, intents, "all " + after.endpoints().size() + " endpoints on " + r.version());
        }
        return new Step.Continue<>(after, intents, RECHECK);
    }

    @Override
    public ReleaseState applied(ReleaseState state, List<Outcome> outcomes, Instant now) {
        ReleaseState out = state;
        for (Outcome o : outcomes) {
            if (o instanceof Outcome.NoRoom noRoom) {
                out = out.with(StartFirst.noRoom(out.endpoints(), noRoom.ordinals()));
            }
        }
        return out;
    }

    /**
     * Every endpoint under way goes back to its agent's care: the old container resumed; a new one that was
     * not yet switched to taken back, one that was resumed with the old one taken back.
     */
    @Override
    public List<Intent> abandon(ReleaseState r) {
        List<Intent> intents = new ArrayList<>();
        for (EndpointRelease e : r.endpoints()) {
            if (e.step() == ReleaseStep.PENDING || ReleaseState.ended(e.step())) continue;
            if (e.step() == ReleaseStep.RETIRING) {
                intents.add(new Intent.SetRegistration(e.replacement(), Registration.ACTIVE));
                intents.add(new Intent.TakeBack(r.key(), List.of(e.container())));
                continue;
            }
            intents.add(new Intent.SetRegistration(e.container(), Registration.ACTIVE));
            if (!e.replacement().isEmpty()) {
                intents.add(new Intent.TakeBack(r.key(), List.of(e.replacement())));
            }
        }
        return intents;
    }
}
