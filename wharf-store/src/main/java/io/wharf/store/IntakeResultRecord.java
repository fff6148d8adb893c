package io.wharf.store;

import static java.util.Objects.requireNonNull;

import io.wharf.core.registry.ServiceKey;

/**
 * The result of one request that went through a service's fair intake (claim 002.6), with every time it
 * passed (epoch microseconds): sent (its stamp), arrived at the intake, ordered by the sequencer, dispatched,
 * and the call to the service started and ended.
 *
 * @param id the request's id
 * @param service the service it was for
 * @param status the service's HTTP status; 0 if it could not be reached
 * @param contentType the answer's content type, or empty
 * @param body the answer's body
 * @param late whether it came after its place in the order had passed
 * @param clamped whether its client's stamp was moved into bounds
 */
public record IntakeResultRecord(
        String id,
        ServiceKey service,
        int status,
        String contentType,
        byte[] body,
        boolean late,
        boolean clamped,
        long sentMicros,
        long arrivedMicros,
        long orderedMicros,
        long dispatchedMicros,
        long startedMicros,
        long endedMicros) {
    public IntakeResultRecord {
        requireNonNull(id, "id");
        requireNonNull(service, "service");
        requireNonNull(contentType, "contentType");
        requireNonNull(body, "body");
    }
}
