package io.wharf.store;

import static java.util.Objects.requireNonNull;

import io.wharf.core.registry.ServiceKey;
import java.time.Instant;

/**
 * One decision of the autoscaler, as stored.
 *
 * @param id unique, ordered by time within a service
 * @param from the count before
 * @param to the count asked for
 * @param reason why, for people
 * @param readings each metric's value and target then, for people
 */
public record AutoscaleDecisionRecord(
        String id, ServiceKey service, Instant at, int from, int to, String reason, String readings) {
    public AutoscaleDecisionRecord {
        requireNonNull(id, "id");
        requireNonNull(service, "service");
        requireNonNull(at, "at");
        requireNonNull(reason, "reason");
        requireNonNull(readings, "readings");
    }
}
