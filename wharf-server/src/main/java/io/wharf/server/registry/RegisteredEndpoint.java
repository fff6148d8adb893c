package io.wharf.server.registry;

import static java.util.Objects.requireNonNull;

import io.wharf.core.registry.Endpoint;

/**
 * An endpoint as the registry holds it: the endpoint, the revision of its last change, and the lease
 * that keeps it.
 *
 * @param endpoint the endpoint
 * @param revision the revision at which it was last changed
 * @param leaseId the lease it lives on
 */
public record RegisteredEndpoint(Endpoint endpoint, long revision, String leaseId) {
    public RegisteredEndpoint {
        requireNonNull(endpoint, "endpoint");
        requireNonNull(leaseId, "leaseId");
    }
}
