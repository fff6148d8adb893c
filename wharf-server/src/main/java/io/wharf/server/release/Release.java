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
        public String reason = "";
        public Map<String, Instant> steps = new LinkedHashMap<>();

        Step step() {
            return Step.valueOf(step);
        }
    }

    /** The steps of one endpoint, in order (claims 001.2–001.8). */
    public enum Step {
        PENDING,
        /** Taken out of the registry (001.2) and its agent's registration paused (001.3); draining (001.4). */
        DRAINING,
        /** Its container is being replaced by the new version (001.5) and health-checked (001.6). */
        CHECKING,
        /** The new version failed its checks; the old one is being put back. */
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
