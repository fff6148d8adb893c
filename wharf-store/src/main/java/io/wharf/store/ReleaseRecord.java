package io.wharf.store;

import static java.util.Objects.requireNonNull;

import io.wharf.core.registry.ServiceKey;
import java.time.Instant;

/**
 * A release as stored: its service and status for listing, and its whole state — options and the step of
 * each endpoint — as one JSON document, written after every step.
 */
public record ReleaseRecord(
        String id, ServiceKey service, String status, String body, Instant createdAt, Instant updatedAt) {
    public ReleaseRecord {
        requireNonNull(id, "id");
        requireNonNull(service, "service");
        requireNonNull(status, "status");
        requireNonNull(body, "body");
    }
}
