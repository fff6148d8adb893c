package io.wharf.server.operation;

import io.wharf.client.wire.OperationStatus;
import io.wharf.store.OperationRecord;
import java.time.Instant;

/**
 * A long operation as the API shows it: where it stands, and its kind's state.
 *
 * @param attempts steps that failed in a row; 0 after one succeeds
 * @param lastError the last failed step's error while it is retried; empty otherwise
 */
public record Operation<S>(
        String id,
        String kind,
        OperationStatus status,
        String reason,
        int attempts,
        String lastError,
        Instant createdAt,
        Instant updatedAt,
        S state) {

    /** The operation a stored row holds, its state read by its kind. */
    static <S> Operation<S> of(OperationKind<S> kind, OperationRecord r) {
        return new Operation<>(
                r.id(),
                r.kind(),
                r.status(),
                r.reason(),
                r.attempts(),
                r.lastError(),
                r.createdAt(),
                r.updatedAt(),
                OperationCodec.read(r.state(), kind.stateType()));
    }
}
