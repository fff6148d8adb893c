package io.wharf.client.wire;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One endpoint of a release: its step, how its drain ended, its checks, timings and reason.
 */
public final class ReleaseEndpointInfo {
    private final String container;
    private final String endpoint;
    private final String host;
    private final String fromVersion;
    private final ReleaseStep step;
    private final String drain;
    private final long drainMillis;
    private final int checks;
    private final String replacement;
    private final String replacementEndpoint;
    private final String replacementHost;
    private final String watch;
    private final String waitingFor;
    private final String reason;
    private final Map<String, Instant> steps;

    public ReleaseEndpointInfo(
            @Nullable String container,
            @Nullable String endpoint,
            @Nullable String host,
            @Nullable String fromVersion,
            ReleaseStep step,
            @Nullable String drain,
            long drainMillis,
            int checks,
            @Nullable String replacement,
            @Nullable String replacementEndpoint,
            @Nullable String replacementHost,
            @Nullable String watch,
            @Nullable String waitingFor,
            @Nullable String reason,
            @Nullable Map<String, Instant> steps) {
        this.container = container == null ? "" : container;
        this.endpoint = endpoint == null ? "" : endpoint;
        this.host = host == null ? "" : host;
        this.fromVersion = fromVersion == null ? "" : fromVersion;
        this.step = Objects.requireNonNull(step, "step");
        this.drain = drain == null ? "" : drain;
        this.drainMillis = drainMillis;
        this.checks = checks;
        this.replacement = replacement == null ? "" : replacement;
        this.replacementEndpoint = replacementEndpoint == null ? "" : replacementEndpoint;
        this.replacementHost = replacementHost == null ? "" : replacementHost;
        this.watch = watch == null ? "" : watch;
        this.waitingFor = waitingFor == null ? "" : waitingFor;
        this.reason = reason == null ? "" : reason;
        this.steps = steps == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(steps));
    }

    /** Its container. */
    public String container() {
        return container;
    }

    /** Its endpoint, {@code ip_port}. */
    public String endpoint() {
        return endpoint;
    }

    /** Its host. */
    public String host() {
        return host;
    }

    /** The version it ran before. */
    public String fromVersion() {
        return fromVersion;
    }

    /** The step it is in. */
    public ReleaseStep step() {
        return step;
    }

    /** How its drain ended: {@code acknowledged} or {@code timeout (...)}. */
    public String drain() {
        return drain;
    }

    /** How long its drain took. */
    public long drainMillis() {
        return drainMillis;
    }

    /** The health checks its new version has had. */
    public int checks() {
        return checks;
    }

    /** Start-first: the container started beside it. */
    public String replacement() {
        return replacement;
    }

    /** Start-first: that container's endpoint. */
    public String replacementEndpoint() {
        return replacementEndpoint;
    }

    /** Start-first: that container's host. */
    public String replacementHost() {
        return replacementHost;
    }

    /** Start-first: what the watch saw, and by which statistic it judged. */
    public String watch() {
        return watch;
    }

    /** What the step waits on now; empty when it waits on nothing. */
    public String waitingFor() {
        return waitingFor;
    }

    /** Why it ended as it did. */
    public String reason() {
        return reason;
    }

    /** When it entered each step. */
    public Map<String, Instant> steps() {
        return steps;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof ReleaseEndpointInfo)) return false;
        ReleaseEndpointInfo other = (ReleaseEndpointInfo) o;
        return Objects.equals(container, other.container)
                && Objects.equals(endpoint, other.endpoint)
                && Objects.equals(host, other.host)
                && Objects.equals(fromVersion, other.fromVersion)
                && Objects.equals(step, other.step)
                && Objects.equals(drain, other.drain)
                && drainMillis == other.drainMillis
                && checks == other.checks
                && Objects.equals(replacement, other.replacement)
                && Objects.equals(replacementEndpoint, other.replacementEndpoint)
                && Objects.equals(replacementHost, other.replacementHost)
                && Objects.equals(watch, other.watch)
                && Objects.equals(waitingFor, other.waitingFor)
                && Objects.equals(reason, other.reason)
                && Objects.equals(steps, other.steps);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                container,
                endpoint,
                host,
                fromVersion,
                step,
                drain,
                drainMillis,
                checks,
                replacement,
                replacementEndpoint,
                replacementHost,
                watch,
                waitingFor,
                reason,
                steps);
    }

    @Override
    public String toString() {
        return "ReleaseEndpointInfo[" + "container=" + container + ", endpoint=" + endpoint + ", host=" + host
                + ", fromVersion=" + fromVersion + ", step=" + step + ", drain=" + drain + ", drainMillis="
                + drainMillis + ", checks=" + checks + ", replacement=" + replacement + ", replacementEndpoint="
                + replacementEndpoint + ", replacementHost=" + replacementHost + ", watch=" + watch + ", waitingFor="
                + waitingFor + ", reason=" + reason + ", steps=" + steps + "]";
    }
}
