package io.wharf.server.release;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A release's whole state, as stored after every step: its options and, per endpoint, the step it is in,
 * how its drain ended, how many health checks it took, and when each step began. Mutable; one scanner
 * thread owns it.
 */
public final class Release {
    public String id = "";
    public String namespace = "";
    public String service = "";
    public String version = "";
    public String mode = "in-place";
    public int parallelism = 1;
    public long drainTimeoutMillis = 20_000;
    public int healthChecks = 6;
    public boolean rollback = true;
    /** Start-first: how long a new endpoint is watched before the service switches to it. */
    public long watchMillis = 10_000;
    /** Start-first: the highest share of a new endpoint's requests that may fail in the watch. */
    public double maxErrorRate = 0.01;
    /** Start-first: how many times the other endpoints' mean latency a new endpoint may take. */
    public double maxLatencyRatio = 2.0;

    public String status = "RUNNING";
    public String reason = "";
    public Instant createdAt = Instant.EPOCH;
    public Instant updatedAt = Instant.EPOCH;
    public List<Endpoint> endpoints = new ArrayList<>();

    /** One endpoint of the release. */
    public static final class Endpoint {
        public String container = "";
        public String endpoint = "";
        public String host = "";
        public String fromVersion = "";
        public String step = Step.PENDING.name();
        /** The registry revision that removed it; the drain waits for every watcher to acknowledge it. */
        public long removedAt;
        /** How the drain ended: {@code acknowledged} or {@code timeout (…)}. */
        public String drain = "";

        public long drainMillis;
        /** The pid before the replacement, to know the new process when it reports. */
        public long oldPid;
        /** When the new (or, rolling back, the old) process was first seen. */
        public Instant startedAt = Instant.EPOCH;

        public int checks;

        /** Start-first: the container started beside it, its endpoint and host. */
        public String replacement = "";

        public String replacementEndpoint = "";
        public String replacementHost = "";
        /** Start-first: whether it was taken out of the registry (when the service has other endpoints). */
        public boolean deregistered;
        /** Start-first: the revision that registered the new endpoint; the watch starts once all applied it. */
        public long addedAt;
        /** Start-first: the revision that removed the new endpoint again, rolling back. */
        public long replacementRemovedAt;
        /** Start-first: when the watch began, and the counts it began from, per load balancer and endpoint. */
        public Instant watchFrom = Instant.EPOCH;

        public Map<String, Counts> baseline = new LinkedHashMap<>();
        /** Start-first: what the watch saw. */
        public String watch = "";

        public String reason = "";
        public Map<String, Instant> steps = new LinkedHashMap<>();

        Step step() {
            return Step.valueOf(step);
        }
    }

    /** What an endpoint has served through one load balancer: requests, failures and their total time. */
    public record Counts(long requests, long failures, long micros) {}

    /** The steps of one endpoint, in order (claims 001.2–001.9). */
    public enum Step {
        PENDING,
        /**
         * Start-first (001.9): a new container of the new version is starting on its own IP; the endpoint is
         * out of the registry, its traffic served by the service's other endpoints.
         */
        STARTING,
        /** Start-first: the new endpoint is registered and serving; its errors and latency are watched. */
        WATCHING,
        /** Start-first: the new endpoint served well and stays; the old one drains and is stopped. */
        RETIRING,
        /** Taken out of the registry (001.2) and its agent's registration paused (001.3); draining (001.4). */
        DRAINING,
        /** Its container is being replaced by the new version (001.5) and health-checked (001.6). */
        CHECKING,
        /**
         * The new version failed its checks; the old one is being put back (in place), or registered again
         * while the new endpoint drains and is stopped (start-first).
         */
        ROLLING_BACK,
        /** Registered again (001.6, 001.8) and its agent resumed (001.7). */
        DONE,
        /** Put back on its old version after the new one failed; registered and resumed. */
        ROLLED_BACK,
        /** Neither version came up; its agent was resumed. */
        FAILED;

        boolean ended() {
            return this == DONE || this == ROLLED_BACK || this == FAILED;
        }
    }
}
