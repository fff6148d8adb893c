package io.wharf.core.spec;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * How many containers a controller has set a service to run, overriding the replicas of its spec: the spec
 * holds what the user asked for, this what scale-outs and the autoscaler decided since (the split of
 * Kubernetes' scale subresource). Applying a spec with other replicas than before gives the count back to
 * the user; applying it with the same replicas keeps this.
 *
 * @param replicas the count
 * @param owner who set it, e.g. {@code scale-out so-20261130-120000-1a2b}
 * @param at when
 */
public record Scale(int replicas, String owner, Instant at) {
    public Scale {
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas: " + replicas + " (expected: >= 0)");
        }
        requireNonNull(owner, "owner");
        requireNonNull(at, "at");
    }
}
