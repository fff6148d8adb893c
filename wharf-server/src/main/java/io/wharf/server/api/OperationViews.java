package io.wharf.server.api;

import io.wharf.client.wire.ReleaseEndpointInfo;
import io.wharf.client.wire.ReleaseInfo;
import io.wharf.client.wire.ScaleOutContainer;
import io.wharf.client.wire.ScaleOutContainerCounts;
import io.wharf.client.wire.ScaleOutContainerStatus;
import io.wharf.client.wire.ScaleOutCounts;
import io.wharf.client.wire.ScaleOutInfo;
import io.wharf.client.wire.ScaleOutService;
import io.wharf.client.wire.ScaleOutServiceStatus;
import io.wharf.client.wire.ScaleOutSummary;
import io.wharf.server.operation.Operation;
import io.wharf.server.release.EndpointRelease;
import io.wharf.server.release.ReleaseState;
import io.wharf.server.scaleout.ScaleOutPlan;
import io.wharf.server.scaleout.ScaleOutState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Releases and scale-out tasks as the wire model has them. */
final class OperationViews {
    private final Clock clock;

    OperationViews(Clock clock) {
        this.clock = clock;
    }

    static ReleaseInfo release(Operation<ReleaseState> op) {
        ReleaseState r = op.state();
        return new ReleaseInfo(
                op.id(),
                r.namespace(),
                r.service(),
                r.version(),
                r.mode(),
                r.parallelism(),
                r.drainTimeoutMillis(),
                r.healthChecks(),
                r.rollback(),
                r.watchMillis(),
                r.maxErrorRate(),
                r.maxLatencyRatio(),
                r.minRequests(),
                r.allowUnwatched(),
                op.status(),
                op.reason(),
                op.lastError(),
                op.createdAt(),
                op.updatedAt(),
                r.endpoints().stream().map(OperationViews::endpoint).toList());
    }

    private static ReleaseEndpointInfo endpoint(EndpointRelease e) {
        // steps in the order they were entered
        Map<String, Instant> steps = new LinkedHashMap<>();
        e.steps().entrySet().stream()
                .sorted(Map.Entry.<io.wharf.client.wire.ReleaseStep, Instant>comparingByValue()
                        .thenComparing(Map.Entry.comparingByKey()))
                .forEach(s -> steps.put(s.getKey().name(), s.getValue()));
        return new ReleaseEndpointInfo(
                e.container(),
                e.endpoint(),
                e.host(),
                e.fromVersion(),
                e.step(),
                e.drain(),
                e.drainMillis(),
                e.checks(),
                e.replacement(),
                e.replacementEndpoint(),
                e.replacementHost(),
                e.watch(),
                e.waitingFor(),
                e.reason(),
                steps);
    }

    ScaleOutSummary scaleOutSummary(Operation<ScaleOutState> op) {
        ScaleOutState t = op.state();
        boolean ended = op.status() != io.wharf.client.wire.OperationStatus.RUNNING;
        return new ScaleOutSummary(
                op.id(),
                t.groups(),
                ScaleOutPlan.status(op.status(), t),
                op.reason(),
                op.lastError(),
                op.createdAt(),
                op.updatedAt(),
                Duration.between(op.createdAt(), ended ? op.updatedAt() : clock.instant())
                        .toMillis(),
                new ScaleOutCounts(
                        t.services().size(),
                        count(t.services(), s -> s.status() == ScaleOutServiceStatus.PENDING),
                        count(t.services(), s -> s.status() == ScaleOutServiceStatus.CREATING),
                        count(t.services(), s -> s.status() == ScaleOutServiceStatus.DONE),
                        count(t.services(), s -> s.status() == ScaleOutServiceStatus.SKIPPED)),
                new ScaleOutContainerCounts(
                        t.containers().size(),
                        count(t.containers(), c -> c.status() == ScaleOutContainerStatus.PENDING),
                        count(t.containers(), c -> c.status() == ScaleOutContainerStatus.PLACED),
                        count(t.containers(), c -> c.status() == ScaleOutContainerStatus.SERVING),
                        count(t.containers(), c -> c.status() == ScaleOutContainerStatus.FAILED)));
    }

    ScaleOutInfo scaleOut(Operation<ScaleOutState> op) {
        ScaleOutState t = op.state();
        return new ScaleOutInfo(
                scaleOutSummary(op),
                t.services().stream()
                        .map(s -> new ScaleOutService(
                                s.namespace(),
                                s.service(),
                                s.status(),
                                s.nodes(),
                                s.targetVersion(),
                                s.reason(),
                                s.createdAt(),
                                s.updatedAt()))
                        .toList(),
                t.containers().stream()
                        .sorted((a, b) -> a.service().equals(b.service())
                                ? Integer.compare(a.ordinal(), b.ordinal())
                                : (a.namespace() + "/" + a.service()).compareTo(b.namespace() + "/" + b.service()))
                        .map(c -> new ScaleOutContainer(
                                c.id(),
                                c.namespace(),
                                c.service(),
                                c.ordinal(),
                                c.status(),
                                c.reason(),
                                c.createdAt(),
                                c.updatedAt(),
                                Duration.between(c.createdAt(), c.updatedAt()).toMillis()))
                        .toList());
    }

    private static <T> int count(List<T> rows, Predicate<T> p) {
        return (int) rows.stream().filter(p).count();
    }
}
