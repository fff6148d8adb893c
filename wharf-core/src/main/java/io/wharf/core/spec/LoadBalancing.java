package io.wharf.core.spec;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * How the load balancer spreads a service's requests (part of the metadata of claim 004.4).
 *
 * @param rule one of {@link #RULES}
 * @param hashHeader for {@code consistent-hash} over HTTP: the request header whose value picks the endpoint;
 *     the client's address when empty
 */
public record LoadBalancing(String rule, Optional<String> hashHeader) {
    /** The rules the load balancer knows. */
    public static final List<String> RULES = List.of(
            "round-robin", "weighted-round-robin", "least-connections", "power-of-two-choices", "consistent-hash");

    public LoadBalancing {
        requireNonNull(rule, "rule");
        requireNonNull(hashHeader, "hashHeader");
    }

    public static LoadBalancing defaults() {
        return new LoadBalancing("round-robin", Optional.empty());
    }
}
