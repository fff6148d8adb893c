package io.wharf.store;

import static java.util.Objects.requireNonNull;

import io.wharf.core.registry.ServiceKey;
import java.time.Instant;

/** A stored service. Its endpoints are not stored: they live on leases. */
public record ServiceRecord(ServiceKey key, Instant createdAt) {
    public ServiceRecord {
        requireNonNull(key, "key");
        requireNonNull(createdAt, "createdAt");
    }
}
