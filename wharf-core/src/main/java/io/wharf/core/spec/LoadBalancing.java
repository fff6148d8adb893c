package io.wharf.core.spec;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How the load balancer spreads a service's requests (part of the metadata of claim 004.4).
 *
 * @param rule one of {@link #RULES}
 * @param hashHeader for {@code consistent-hash} over HTTP: the request header whose value picks the endpoint;
 *     the client's address when empty
 * @param slowStart how long a newly registered endpoint takes to get its full share of requests, from a tenth
 *     of it; zero for at once
 */
public record LoadBalancing(String rule, Optional<String> hashHeader, Duration slowStart) {
    /** The longest slow start a spec may ask for. */
    public static final Duration MAX_SLOW_START = Duration.ofMinutes(10);

    /** The rules the load balancer knows. */
    public static final List<String> RULES = List.of(
            "round-robin", "weighted-round-robin", "least-connections", "power-of-two-choices", "consistent-hash");

    public LoadBalancing {
        requireNonNull(rule, "rule");
        requireNonNull(hashHeader, "hashHeader");
        requireNonNull(slowStart, "slowStart");
    }

    public LoadBalancing(String rule, Optional<String> hashHeader) {
        this(rule, hashHeader, Duration.ZERO);
    }

    public static LoadBalancing defaults() {
        return new LoadBalancing("round-robin", Optional.empty());
    }
}
