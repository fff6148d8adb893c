package io.wharf.client.sdk;

import java.time.Clock;
import java.time.Instant;

/**
 * The {@value #HEADER} stamp (claim 002.2): when a client sent a request, in microseconds since the epoch by
 * its clock, which should be synchronised with NTP. A fair intake serves requests in the order of these stamps,
 * within the bounds it allows. Add it to each request: {@code builder.header(SentAt.HEADER, SentAt.now())}.
 */
public final class SentAt {
    /** The header's name. */
    public static final String HEADER = "Wharf-Sent-At";

    private SentAt() {}

    /** The stamp for a request sent now. */
    public static String now() {
        return of(Clock.systemUTC().instant());
    }

    /** The stamp of {@code instant}. */
    public static String of(Instant instant) {
        return Long.toString(
                Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000));
    }
}
