package io.wharf.server.registry;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The registry's tunables.
 *
 * @param defaultTtl a lease's time to live when the registration names none
 * @param maxTtl the longest time to live accepted
 * @param reapInterval how often lapsed leases are looked for; detection lags expiry by at most this
 * @param watcherBuffer how many undelivered events a streaming watcher may hold before it is cut off
 * @param historyPerService how many past events each service keeps for watchers resuming from a revision
 * @param historyAge how long a past event is kept for them; a watcher resuming from before gets a snapshot
 * @param watcherGrace how long a disconnected watcher is still counted (and may resume) before it is dropped
 * @param revisionBlock how many revisions are reserved in the store at a time
 * @param settleAfterStart how long after a start a service's readers may wait for its agents to register its
 *     endpoints again ({@link Settling})
 */
public record RegistryConfig(
        Duration defaultTtl,
        Duration maxTtl,
        Duration reapInterval,
        int watcherBuffer,
        int historyPerService,
        Duration historyAge,
        Duration watcherGrace,
        long revisionBlock,
        Duration settleAfterStart) {

    public RegistryConfig {
        requireNonNull(defaultTtl, "defaultTtl");
        requireNonNull(maxTtl, "maxTtl");
        requireNonNull(reapInterval, "reapInterval");
        requireNonNull(historyAge, "historyAge");
        requireNonNull(watcherGrace, "watcherGrace");
        requireNonNull(settleAfterStart, "settleAfterStart");
        if (watcherBuffer < 1)
            throw new IllegalArgumentException("watcherBuffer: " + watcherBuffer + " (expected: >= 1)");
        if (historyPerService < 1)
            throw new IllegalArgumentException("historyPerService: " + historyPerService + " (expected: >= 1)");
        if (revisionBlock < 1)
            throw new IllegalArgumentException("revisionBlock: " + revisionBlock + " (expected: >= 1)");
    }

    /**
     * The defaults: leases of 3 s renewed every second by clients, looked at every 50 ms, so an endpoint
     * whose client stops is out at most 3.05 s after its last heartbeat.
     */
    public static RegistryConfig defaults() {
        return new RegistryConfig(
                Duration.ofSeconds(3),
                Duration.ofHours(24),
                Duration.ofMillis(50),
                1024,
                64,
                Duration.ofMinutes(2),
                Duration.ofSeconds(10),
                1_000_000,
                Duration.ofSeconds(10));
    }

    /** These settings with another buffer size per watcher. */
    public RegistryConfig withWatcherBuffer(int events) {
        return new RegistryConfig(
                defaultTtl,
                maxTtl,
                reapInterval,
                events,
                historyPerService,
                historyAge,
                watcherGrace,
                revisionBlock,
                settleAfterStart);
    }

    /** These settings with another number of events kept per service. */
    public RegistryConfig withHistoryPerService(int events) {
        return new RegistryConfig(
                defaultTtl,
                maxTtl,
                reapInterval,
                watcherBuffer,
                events,
                historyAge,
                watcherGrace,
                revisionBlock,
                settleAfterStart);
    }

    /** These settings with another settling time after a start. */
    public RegistryConfig withSettleAfterStart(Duration bound) {
        return new RegistryConfig(
                defaultTtl,
                maxTtl,
                reapInterval,
                watcherBuffer,
                historyPerService,
                historyAge,
                watcherGrace,
                revisionBlock,
                bound);
    }

    /** These settings with another grace period for disconnected watchers. */
    public RegistryConfig withWatcherGrace(Duration grace) {
        return new RegistryConfig(
                defaultTtl,
                maxTtl,
                reapInterval,
                watcherBuffer,
                historyPerService,
                historyAge,
                grace,
                revisionBlock,
                settleAfterStart);
    }

    /** These settings with another time past events are kept. */
    public RegistryConfig withHistoryAge(Duration age) {
        return new RegistryConfig(
                defaultTtl,
                maxTtl,
                reapInterval,
                watcherBuffer,
                historyPerService,
                age,
                watcherGrace,
                revisionBlock,
                settleAfterStart);
    }
}
