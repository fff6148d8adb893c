package io.wharf.store;

import static java.util.Objects.requireNonNull;

import io.wharf.client.wire.OperationStatus;
import java.time.Instant;

/**
 * One long operation as stored: a release, a scale-out task, later an autoscaling action or an interface
 * migration. Its kind's state is one JSON document, rewritten after every step; {@code version} rises with
 * every write, so two writers never overwrite each other unnoticed.
 *
 * @param id its id, e.g. {@code rel-20261130-120000-1a2b}
 * @param kind what it is, e.g. {@code release}
 * @param subject what it acts on, for listing, e.g. {@code default/demo}
 * @param status where it stands
 * @param reason why it ended as it did; empty while it runs
 * @param state its kind's state as JSON
 * @param version the optimistic version: 1 when inserted, one more with each update
 * @param attempts steps that failed in a row; 0 after one succeeds
 * @param lastError the last step's error while it is being retried; empty otherwise
 */
public record OperationRecord(
        String id,
        String kind,
        String subject,
        OperationStatus status,
        String reason,
        String state,
        long version,
        int attempts,
        String lastError,
        Instant createdAt,
        Instant updatedAt) {
    public OperationRecord {
        requireNonNull(id, "id");
        requireNonNull(kind, "kind");
        requireNonNull(subject, "subject");
        requireNonNull(status, "status");
        requireNonNull(reason, "reason");
        requireNonNull(state, "state");
        requireNonNull(lastError, "lastError");
        requireNonNull(createdAt, "createdAt");
        requireNonNull(updatedAt, "updatedAt");
    }

    /** The next version of this record, changed at {@code at}. */
    public OperationRecord next(
            OperationStatus newStatus, String newReason, String newState, int newAttempts, String error, Instant at) {
        return new OperationRecord(
                id, kind, subject, newStatus, newReason, newState, version + 1, newAttempts, error, createdAt, at);
    }
}
