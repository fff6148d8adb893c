package io.wharf.server.operation;

import io.wharf.client.wire.ContainerReport;
import io.wharf.client.wire.ContainerState;
import io.wharf.core.spec.ImageRef;
import io.wharf.server.cluster.ClusterView;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The shared step that waits for a container to serve a version (claim 001.6): its agent reports it running
 * that image and passing its health checks. The checks are the agent's own, counted per image, so an agent
 * that is out of contact uses up none of them; time limits count only while the container's host is in
 * contact too.
 */
public final class AwaitServing {
    private AwaitServing() {}

    /**
     * What a wait may use up.
     *
     * @param checks health-check rounds the version gets before it has failed
     * @param restarts exits of the version after which it has failed
     * @param startLimit how long the version may take to be seen running and to open its port
     * @param limit how long the whole wait may take; zero for no limit
     */
    public record Budget(int checks, int restarts, Duration startLimit, Duration limit) {}

    /** Where a wait stands. */
    public sealed interface Result {
        /** It serves. */
        record Serving(int checks) implements Result {}

        /** Not yet; {@code why} says what it waits on, {@code checks} what it has had. */
        record Waiting(int checks, String why) implements Result {}

        /** It will not serve; {@code reason} says why. */
        record Failed(int checks, String reason) implements Result {}
    }

    /**
     * Whether container {@code id} of {@code service} serves {@code image}, waited for since {@code since}.
     *
     * @param registered whether its endpoint must also be in the registry through its agent
     */
    public static Result check(
            ClusterView.ServiceView service,
            String id,
            ImageRef image,
            boolean registered,
            Budget budget,
            Instant since,
            Instant now) {
        Optional<ClusterView.ContainerView> found = service.container(id);
        if (found.isEmpty()) {
            return new Result.Failed(0, "its container row is gone");
        }
        ClusterView.ContainerView c = found.get();
        if (!c.hostReady()) {
            return new Result.Waiting(0, "the agent of " + c.row().hostId() + " to be in contact again");
        }
        // time while the host was out of contact is not the version's fault
        Instant from = since.isAfter(c.hostReadySince()) ? since : c.hostReadySince();
        Duration waited = Duration.between(from, now);
        Optional<ContainerReport> seen = c.observed().filter(o -> o.image().equals(image.toString()));
        int checks = seen.map(ContainerReport::checks).orElse(0);
        if (seen.isPresent()) {
            ContainerReport o = seen.get();
            boolean inRegistry = !registered
                    || (o.registered()
                            && service.isRegistered(c.row().endpoint().toString()));
            if (o.state() == ContainerState.RUNNING && o.healthy() && inRegistry) {
                return new Result.Serving(checks);
            }
            if (o.restarts() > budget.restarts()) {
                return new Result.Failed(
                        checks,
                        "version " + image.version() + " exited " + o.restarts() + " times (last: " + o.lastExit()
                                + ")");
            }
            if (checks >= budget.checks() && !o.healthy()) {
                return new Result.Failed(checks, "version " + image.version() + " failed " + checks + " health checks");
            }
            if (checks == 0 && !o.healthy() && waited.compareTo(budget.startLimit()) > 0) {
                // its agent counts no check while nothing listens on the port
                return new Result.Failed(
                        0,
                        "version " + image.version() + " did not open its port within "
                                + budget.startLimit().toSeconds() + " s");
            }
        } else if (waited.compareTo(budget.startLimit()) > 0) {
            return new Result.Failed(
                    0,
                    "version " + image.version() + " did not start within "
                            + budget.startLimit().toSeconds() + " s");
        }
        if (!budget.limit().isZero() && waited.compareTo(budget.limit()) > 0) {
            return new Result.Failed(
                    checks,
                    "not serving after " + budget.limit().toSeconds() + " s ("
                            + c.observed()
                                    .map(o -> "state " + o.state() + ", healthy " + o.healthy())
                                    .orElse("its agent has not reported it")
                            + ")");
        }
        return new Result.Waiting(
                checks,
                seen.isEmpty()
                        ? "its agent to start " + image.version()
                        : image.version() + " to pass a health check (" + checks + " so far)");
    }
}
