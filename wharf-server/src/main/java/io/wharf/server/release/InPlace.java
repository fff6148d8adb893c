package io.wharf.server.release;

import io.wharf.client.wire.Registration;
import io.wharf.client.wire.ReleaseStep;
import io.wharf.core.spec.ImageRef;
import io.wharf.server.cluster.ClusterView;
import io.wharf.server.operation.AwaitServing;
import io.wharf.server.operation.Drain;
import io.wharf.server.operation.Intent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An endpoint released in place (claims 001.2-001.8): out of the registry with its agent's registration
 * paused, drained, given the new version, health-checked, registered again and resumed. If the new version
 * fails its checks the old one is put back, unless the release says not to. Each step asks again for what
 * it needs in place, so a step that was stored but whose intents were lost is completed by the next.
 */
final class InPlace {
    /** How long a replaced container may take to show the new version running before it has failed. */
    static final Duration START_LIMIT = Duration.ofSeconds(60);
    /** Exits of the new version after which it has failed. */
    static final int MAX_RESTARTS = 2;
    /** Putting the old version back gets at least this many checks. */
    static final int ROLLBACK_CHECKS = 6;

    private InPlace() {}

    static Move step(ReleaseState r, EndpointRelease e, ClusterView.ServiceView s, Instant now) {
        return switch (e.step()) {
            case PENDING ->
                new Move(
                        e.edit().to(ReleaseStep.DRAINING, now).done(),
                        List.of( // paused first, so that its agent does not put it back
                                new Intent.SetRegistration(e.container(), Registration.PAUSED),
                                new Intent.Deregister(r.key(), e.endpoint())));
            case DRAINING -> draining(r, e, s, now);
            case CHECKING -> checking(r, e, s, now, false);
            case ROLLING_BACK -> checking(r, e, s, now, true);
            default -> new Move(e, List.of());
        };
    }

    /** Claim 001.4: the endpoint drains; then its container gets the new version (001.5). */
    private static Move draining(ReleaseState r, EndpointRelease e, ClusterView.ServiceView s, Instant now) {
        List<Intent> again = new ArrayList<>();
        if (registration(s, e.container()).orElse(Registration.PAUSED) == Registration.ACTIVE) {
            again.add(new Intent.SetRegistration(e.container(), Registration.PAUSED));
        }
        if (s.isRegistered(e.endpoint())) {
            again.add(new Intent.Deregister(r.key(), e.endpoint())); // its agent registered it before the pause
        }
        Drain.Result drain = Drain.check(
                s, e.endpoint(), e.since(ReleaseStep.DRAINING, now), Duration.ofMillis(r.drainTimeoutMillis()), now);
        return switch (drain) {
            case Drain.Result.Waiting w -> Move.stay(e, String.join(", ", w.pending()), again.toArray(Intent[]::new));
            case Drain.Result.Drained d ->
                new Move(
                        e.edit()
                                .drained(d.how(), d.millis())
                                .checks(0)
                                .to(ReleaseStep.CHECKING, now)
                                .done(),
                        List.of(new Intent.SetImage(e.container(), r.version())));
        };
    }

    /** Claim 001.6: the first passing check registers it again; running out of checks ends the attempt. */
    private static Move checking(
            ReleaseState r, EndpointRelease e, ClusterView.ServiceView s, Instant now, boolean rollingBack) {
        String version = rollingBack ? e.fromVersion() : r.version();
        ImageRef image = new ImageRef(r.image(), version);
        int checks = rollingBack ? Math.max(r.healthChecks(), ROLLBACK_CHECKS) : r.healthChecks();
        ReleaseStep step = rollingBack ? ReleaseStep.ROLLING_BACK : ReleaseStep.CHECKING;
        var budget = new AwaitServing.Budget(checks, MAX_RESTARTS, START_LIMIT, Duration.ZERO);
        AwaitServing.Result result =
                AwaitServing.check(s, e.container(), image, false, budget, e.since(step, now), now);
        return switch (result) {
            case AwaitServing.Result.Waiting w ->
                new Move(e.edit().checks(w.checks()).waitingFor(w.why()).done(), setImage(e, s, version));
            case AwaitServing.Result.Serving ok ->
                new Move(
                        e.edit()
                                .checks(ok.checks())
                                .reason(rollingBack ? e.reason() + "; rolled back to " + e.fromVersion() : "")
                                .to(rollingBack ? ReleaseStep.ROLLED_BACK : ReleaseStep.DONE, now)
                                .done(),
                        List.of(
                                new Intent.Register(r.key(), e.container(), version),
                                new Intent.SetRegistration(e.container(), Registration.ACTIVE))); // 001.7
            case AwaitServing.Result.Failed f -> failed(r, e, now, rollingBack, f.reason(), f.checks());
        };
    }

    private static Move failed(
            ReleaseState r, EndpointRelease e, Instant now, boolean rollingBack, String why, int checks) {
        if (!rollingBack && r.rollback()) {
            return new Move(
                    e.edit()
                            .checks(checks)
                            .reason(why)
                            .to(ReleaseStep.ROLLING_BACK, now)
                            .done(),
                    List.of(new Intent.SetImage(e.container(), e.fromVersion())));
        }
        String reason = rollingBack ? e.reason() + "; rolling back failed too: " + why : why;
        return new Move(
                e.edit()
                        .checks(checks)
                        .reason(reason)
                        .to(ReleaseStep.FAILED, now)
                        .done(),
                List.of(new Intent.SetRegistration(e.container(), Registration.ACTIVE))); // 001.7
    }

    /** The container's image, asked for again while its row names another. */
    private static List<Intent> setImage(EndpointRelease e, ClusterView.ServiceView s, String version) {
        boolean set = s.container(e.container())
                .map(c -> c.row().image().version().equals(version))
                .orElse(true);
        return set ? List.of() : List.of(new Intent.SetImage(e.container(), version));
    }

    private static Optional<Registration> registration(ClusterView.ServiceView s, String container) {
        return s.container(container).map(c -> c.row().registration());
    }
}
