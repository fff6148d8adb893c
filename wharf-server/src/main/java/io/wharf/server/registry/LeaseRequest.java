package io.wharf.server.registry;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/** Which lease a registration puts its endpoint on. */
public sealed interface LeaseRequest {
    /** A lease of the endpoint's own, renewed through the endpoint's heartbeat. */
    record Own(Duration ttl) implements LeaseRequest {
        public Own {
            requireNonNull(ttl, "ttl");
        }
    }

    /** A lease granted earlier and shared with other endpoints, e.g. all of one host's. */
    record Shared(String leaseId) implements LeaseRequest {
        public Shared {
            requireNonNull(leaseId, "leaseId");
        }
    }
}
