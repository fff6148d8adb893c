package io.wharf.server.operation;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Ids of operations: a prefix, the time in UTC, and a random part, e.g. {@code rel-20261130-120000-1a2b}. */
public final class OperationIds {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Clock clock;

    public OperationIds(Clock clock) {
        this.clock = clock;
    }

    public String next(String prefix) {
        return prefix + "-" + TIME.format(clock.instant()) + "-"
                + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    }
}
