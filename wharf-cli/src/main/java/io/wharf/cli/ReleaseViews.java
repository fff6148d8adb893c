package io.wharf.cli;

import io.wharf.client.wire.ReleaseEndpointInfo;
import io.wharf.client.wire.ReleaseInfo;
import io.wharf.client.wire.ReleaseStep;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** How releases print. */
final class ReleaseViews {
    private ReleaseViews() {}

    static final List<String> HEADERS = List.of("RELEASE", "SERVICE", "VERSION", "STATUS", "DONE", "REASON");

    static List<String> row(ReleaseInfo r) {
        long done =
                r.endpoints().stream().filter(e -> e.step() == ReleaseStep.DONE).count();
        return List.of(
                r.id(),
                r.namespace() + "/" + r.service(),
                r.version(),
                r.status().name(),
                done + "/" + r.endpoints().size(),
                r.reason());
    }

    /** One endpoint: its step, what it waits on, how its drain ended, its checks, its watch. */
    static String endpointLine(ReleaseEndpointInfo e) {
        StringBuilder b = new StringBuilder()
                .append(e.container())
                .append(" (")
                .append(e.endpoint())
                .append(") ")
                .append(e.step());
        if (!e.replacement().isEmpty()) {
            b.append("; new ").append(e.replacement());
            if (!e.replacementEndpoint().isEmpty())
                b.append(" (").append(e.replacementEndpoint()).append(")");
        }
        if (!e.waitingFor().isEmpty()) b.append("; waiting for ").append(e.waitingFor());
        if (!e.watch().isEmpty()) b.append("; watched: ").append(e.watch());
        if (!e.drain().isEmpty()) {
            b.append("; drain ")
                    .append(e.drain())
                    .append(" after ")
                    .append(e.drainMillis())
                    .append(" ms");
        }
        if (e.checks() > 0) b.append("; checks ").append(e.checks());
        Map<String, Instant> steps = e.steps();
        String end = steps.containsKey("DONE") ? "DONE" : steps.containsKey("ROLLED_BACK") ? "ROLLED_BACK" : "FAILED";
        if (steps.containsKey("PENDING") && steps.containsKey(end)) {
            String first =
                    steps.containsKey("DRAINING") ? "DRAINING" : steps.containsKey("STARTING") ? "STARTING" : "PENDING";
            b.append("; ")
                    .append(Duration.between(steps.get(first), steps.get(end)).toMillis())
                    .append(" ms in all");
        }
        if (!e.reason().isEmpty()) b.append("; ").append(e.reason());
        return b.toString();
    }
}
