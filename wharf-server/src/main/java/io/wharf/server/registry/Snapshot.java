package io.wharf.server.registry;

import io.wharf.core.registry.ServiceKey;
import java.util.List;

/**
 * A service's endpoints at one revision. Immutable; the same instance is handed to every reader until
 * the service changes, so its encoded form is computed once and shared.
 */
public final class Snapshot extends EncodedForm<Snapshot> {
    private final ServiceKey service;
    private final long revision;
    private final List<RegisteredEndpoint> endpoints;

    Snapshot(ServiceKey service, long revision, List<RegisteredEndpoint> endpoints) {
        this.service = service;
        this.revision = revision;
        this.endpoints = List.copyOf(endpoints);
    }

    /** The service. */
    public ServiceKey service() {
        return service;
    }

    /** The revision of the service's last change: every change up to it is in, none after it. */
    public long revision() {
        return revision;
    }

    /** The endpoints, ordered by {@code ip_port}. */
    public List<RegisteredEndpoint> endpoints() {
        return endpoints;
    }
}
