package io.wharf.server.scalein;

import io.wharf.client.wire.Registration;
import io.wharf.core.registry.ServiceKey;
import io.wharf.server.cluster.ClusterView;
import io.wharf.server.operation.Drain;
import io.wharf.server.operation.Intent;
import io.wharf.server.operation.OperationKind;
import io.wharf.server.operation.Step;
import io.wharf.server.scalein.ScaleInState.Leaving;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Scale-ins as an operation. Its containers leave together: each is paused and taken out of the registry,
 * drained — every awaited watcher has acknowledged its removal, every load balancer in contact has applied it
 * and has nothing in flight to it, or the drain timeout passed — and then stopped, the count left as it is.
 * If the count goes up again meanwhile, the containers it no longer needs to take away are given back:
 * resumed, and registered again by their agents.
 */
public final class ScaleInKind implements OperationKind<ScaleInState> {
    private static final Duration RECHECK = Duration.ofMillis(500);

    @Override
    public String name() {
        return "scale-in";
    }

    @Override
    public Class<ScaleInState> stateType() {
        return ScaleInState.class;
    }

    @Override
    public String subject(ScaleInState state) {
        return state.key().toString();
    }

    @Override
    public Set<ServiceKey> services(ScaleInState state) {
        return Set.of(state.key());
    }

    @Override
    public Step<ScaleInState> step(ScaleInState state, ClusterView view) {
        ClusterView.ServiceView s = view.service(state.key());
        Instant now = view.now();
        List<Intent> intents = new ArrayList<>();
        List<Leaving> next = new ArrayList<>();
        // how many of its containers the service still has too many of; the rest are given back
        int open = (int) state.containers().stream().filter(Leaving::open).count();
        int keep = Math.max(0, open - Math.max(0, s.running().size() - s.replicas()));
        for (Leaving c : state.containers()) {
            if (c.open() && keep > 0 && s.container(c.container()).isPresent()) {
                keep--;
                if (c.step() == ScaleInState.Step.DRAINING) {
                    intents.add(new Intent.SetRegistration(c.container(), Registration.ACTIVE));
                }
                next.add(c.to(ScaleInState.Step.KEPT, now));
                continue;
            }
            next.add(
                    switch (c.step()) {
                        case PENDING -> {
                            // paused first, so that its agent does not put it back
                            intents.add(new Intent.SetRegistration(c.container(), Registration.PAUSED));
                            intents.add(new Intent.Deregister(state.key(), c.endpoint()));
                            yield c.to(ScaleInState.Step.DRAINING, now);
                        }
                        case DRAINING -> draining(state, c, s, now, intents);
                        case STOPPED, KEPT -> c;
                    });
        }
        ScaleInState after = state.with(next);
        if (next.stream().anyMatch(Leaving::open)) {
            return new Step.Continue<>(after, intents, RECHECK);
        }
        long stopped =
                next.stream().filter(c -> c.step() == ScaleInState.Step.STOPPED).count();
        long kept = next.size() - stopped;
        return new Step.Done<>(
                after,
                intents,
                stopped + " container(s) drained and stopped"
                        + (kept > 0 ? ", " + kept + " kept: the count went up" : ""));
    }

    private static Leaving draining(
            ScaleInState state, Leaving c, ClusterView.ServiceView s, Instant now, List<Intent> intents) {
        if (s.container(c.container()).isEmpty()) {
            return c.drained("gone before it was drained", now); // its host was removed, say
        }
        if (s.isRegistered(c.endpoint())) {
            intents.add(new Intent.SetRegistration(c.container(), Registration.PAUSED));
            intents.add(new Intent.Deregister(state.key(), c.endpoint())); // its agent registered it before the pause
        }
        Drain.Result drain =
                Drain.check(s, c.endpoint(), c.since(), Duration.ofMillis(state.drainTimeoutMillis()), now);
        return switch (drain) {
            case Drain.Result.Waiting w -> c.waiting(String.join(", ", w.pending()));
            case Drain.Result.Drained d -> {
                intents.add(new Intent.Stop(state.key(), List.of(c.container())));
                yield c.drained(d.how() + " after " + d.millis() + " ms", now);
            }
        };
    }

    /** Given up: the containers still draining are resumed, so that none is left out of the registry. */
    @Override
    public List<Intent> abandon(ScaleInState state) {
        return state.containers().stream()
                .filter(c -> c.step() == ScaleInState.Step.DRAINING)
                .map(c -> (Intent) new Intent.SetRegistration(c.container(), Registration.ACTIVE))
                .toList();
    }
}
