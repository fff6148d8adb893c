package io.wharf.server.release;

import static java.util.Objects.requireNonNull;

import io.wharf.client.wire.ReleaseStep;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One endpoint of a release: the step it is in and when it entered each, how its drain ended, the checks its
 * new version had, and, for a start-first release, the container started beside it and what its watch saw.
 *
 * @param deregistered start-first: whether the old endpoint was taken out of the registry
 * @param noRoom start-first: the container beside it found no ready host with room
 * @param watchFrom start-first: when the watch began (every load balancer routes to the new endpoint)
 * @param baseline start-first: what each load balancer had counted when the judged part of the watch began
 * @param waitingFor what its step waits on now, for people; empty when nothing
 */
public record EndpointRelease(
        String container,
        String endpoint,
        String host,
        String fromVersion,
        ReleaseStep step,
        Map<ReleaseStep, Instant> steps,
        String drain,
        long drainMillis,
        int checks,
        String replacement,
        String replacementEndpoint,
        String replacementHost,
        boolean deregistered,
        boolean noRoom,
        @Nullable Instant watchFrom,
        @Nullable Map<String, Sample> baseline,
        String watch,
        String waitingFor,
        String reason) {
    public EndpointRelease {
        requireNonNull(container, "container");
        requireNonNull(step, "step");
        steps = Map.copyOf(steps);
        baseline = baseline == null ? null : Map.copyOf(baseline);
    }

    /** An endpoint not yet begun. */
    static EndpointRelease pending(String container, String endpoint, String host, String fromVersion, Instant at) {
        return new EndpointRelease(
                container,
                endpoint,
                host,
                fromVersion,
                ReleaseStep.PENDING,
                Map.of(ReleaseStep.PENDING, at),
                "",
                0,
                0,
                "",
                "",
                "",
                false,
                false,
                null,
                null,
                "",
                "",
                "");
    }

    /** When it entered {@code s}; {@code fallback} if it never did. */
    Instant since(ReleaseStep s, Instant fallback) {
        return steps.getOrDefault(s, fallback);
    }

    Optional<Instant> watchStart() {
        return Optional.ofNullable(watchFrom);
    }

    Optional<Map<String, Sample>> baselineCounts() {
        return Optional.ofNullable(baseline);
    }

    Edit edit() {
        return new Edit(this);
    }

    /** A change to an endpoint, made field by field. */
    static final class Edit {
        private final EndpointRelease e;
        private ReleaseStep step;
        private final Map<ReleaseStep, Instant> steps;
        private String drain;
        private long drainMillis;
        private int checks;
        private String replacement;
        private String replacementEndpoint;
        private String replacementHost;
        private boolean deregistered;
        private boolean noRoom;
        private @Nullable Instant watchFrom;
        private @Nullable Map<String, Sample> baseline;
        private String watch;
        private String waitingFor;
        private String reason;

        private Edit(EndpointRelease e) {
            this.e = e;
            this.step = e.step;
            this.steps = new LinkedHashMap<>(e.steps);
            this.drain = e.drain;
            this.drainMillis = e.drainMillis;
            this.checks = e.checks;
            this.replacement = e.replacement;
            this.replacementEndpoint = e.replacementEndpoint;
            this.replacementHost = e.replacementHost;
            this.deregistered = e.deregistered;
            this.noRoom = e.noRoom;
            this.watchFrom = e.watchFrom;
            this.baseline = e.baseline;
            this.watch = e.watch;
            this.waitingFor = e.waitingFor;
            this.reason = e.reason;
        }

        /** Moves to {@code next} at {@code at}; nothing waits yet. */
        Edit to(ReleaseStep next, Instant at) {
            if (next != step) steps.put(next, at);
            step = next;
            waitingFor = "";
            return this;
        }

        Edit drained(String how, long millis) {
            drain = how;
            drainMillis = millis;
            return this;
        }

        Edit checks(int n) {
            checks = n;
            return this;
        }

        Edit replacement(String id, String endpoint, String host) {
            replacement = id;
            replacementEndpoint = endpoint;
            replacementHost = host;
            return this;
        }

        Edit deregistered(boolean value) {
            deregistered = value;
            return this;
        }

        Edit noRoom() {
            noRoom = true;
            return this;
        }

        Edit watchFrom(Instant at) {
            watchFrom = at;
            return this;
        }

        Edit baseline(Map<String, Sample> counts) {
            baseline = counts;
            return this;
        }

        Edit watch(String seen) {
            watch = seen;
            return this;
        }

        Edit waitingFor(String what) {
            waitingFor = what;
            return this;
        }

        Edit reason(String why) {
            reason = why;
            return this;
        }

        EndpointRelease done() {
            return new EndpointRelease(
                    e.container,
                    e.endpoint,
                    e.host,
                    e.fromVersion,
                    step,
                    steps,
                    drain,
                    drainMillis,
                    checks,
                    replacement,
                    replacementEndpoint,
                    replacementHost,
                    deregistered,
                    noRoom,
                    watchFrom,
                    baseline,
                    watch,
                    waitingFor,
                    reason);
        }
    }
}
