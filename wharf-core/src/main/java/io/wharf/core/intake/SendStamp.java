package io.wharf.core.intake;

import io.wharf.core.InvalidInputException;
import io.wharf.core.registry.Names;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * When a request counts as sent (claim 002.2): the client's stamp ({@code Wharf-Sent-At}, epoch microseconds
 * from a synchronised clock), kept within {@code [arrival − maxDelay, arrival + clockTolerance]} so that no
 * client jumps the queue by stamping an early time (nor holds a place by stamping a late one); no stamp, the
 * arrival time.
 *
 * @param sentMicros the time the request is ordered by
 * @param arrivedMicros when the intake received it
 * @param how where {@code sentMicros} comes from
 */
public record SendStamp(long sentMicros, long arrivedMicros, How how) {
    /** The header clients stamp their requests with. */
    public static final String HEADER = "Wharf-Sent-At";

    /** Where a request's send time comes from. */
    public enum How {
        /** The client's stamp, within bounds. */
        CLIENT,
        /** The client's stamp was earlier than the arrival allows: the earliest it allows. */
        CLAMPED_EARLY,
        /** The client's stamp was later than the arrival allows: the latest it allows. */
        CLAMPED_LATE,
        /** No stamp: the arrival time. */
        ARRIVAL
    }

    /** Whether the client's stamp was moved into bounds: the request is marked. */
    public boolean clamped() {
        return how == How.CLAMPED_EARLY || how == How.CLAMPED_LATE;
    }

    /**
     * The stamp of a request that arrived at {@code arrivedMicros} with header value {@code header} (null if
     * absent).
     *
     * @throws InvalidInputException naming the header if it is not a number of microseconds
     */
    public static SendStamp of(
            @Nullable String header, long arrivedMicros, Duration maxDelay, Duration clockTolerance) {
        if (header == null || header.isBlank()) return new SendStamp(arrivedMicros, arrivedMicros, How.ARRIVAL);
        long sent;
        try {
            sent = Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            throw InvalidInputException.of(
                    HEADER,
                    "'" + Names.printable(header) + "' (expected: the time the request was sent, in microseconds since"
                            + " the epoch, e.g. " + arrivedMicros + ")");
        }
        long earliest = arrivedMicros - micros(maxDelay);
        long latest = arrivedMicros + micros(clockTolerance);
        if (sent < earliest) return new SendStamp(earliest, arrivedMicros, How.CLAMPED_EARLY);
        if (sent > latest) return new SendStamp(latest, arrivedMicros, How.CLAMPED_LATE);
        return new SendStamp(sent, arrivedMicros, How.CLIENT);
    }

    private static long micros(Duration d) {
        return d.toNanos() / 1000;
    }
}
