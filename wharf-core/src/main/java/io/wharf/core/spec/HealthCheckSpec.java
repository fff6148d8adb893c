package io.wharf.core.spec;

import java.time.Duration;
import java.util.Optional;

/**
 * How the agent decides that a container serves: a TCP connect, an HTTP GET of {@code path} answered with
 * 2xx/3xx, or a command that exits with 0 (for servers that answer no HTTP: {@code redis-cli … ping}).
 *
 * @param path empty for a TCP or command check
 * @param command run by {@code sh -c} where the container runs, with its environment; empty for a TCP or HTTP
 *     check
 * @param interval time between checks
 * @param timeout how long one check may take
 * @param attempts consecutive failures that make a serving container unhealthy
 */
public record HealthCheckSpec(
        Optional<String> path, Optional<String> command, Duration interval, Duration timeout, int attempts) {
    /** A TCP check every second, 1 s time-out, 3 attempts. */
    public static HealthCheckSpec defaults() {
        return new HealthCheckSpec(Optional.empty(), Optional.empty(), Duration.ofSeconds(1), Duration.ofSeconds(1), 3);
    }
}
