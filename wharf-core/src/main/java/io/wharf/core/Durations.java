package io.wharf.core;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints the short durations used across the API and CLI: {@code 500ms}, {@code 3s}, {@code 1m}, {@code 2h}. */
public final class Durations {
    private static final Pattern SHAPE = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private Durations() {}

    /**
     * Parses {@code text}, naming {@code field} when it is malformed.
     *
     * @throws InvalidInputException if the text is not a number followed by ms, s, m or h
     */
    public static Duration parse(String field, String text) {
        Matcher m = SHAPE.matcher(text.trim());
        if (!m.matches()) {
            throw InvalidInputException.of(field, "'" + text + "' (expected: a duration such as 500ms, 10s, 5m or 1h)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /** The shortest exact rendering that {@link #parse} reads back. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) return ms / 3_600_000 + "h";
        if (ms % 60_000 == 0 && ms > 0) return ms / 60_000 + "m";
        if (ms % 1000 == 0) return ms / 1000 + "s";
        return ms + "ms";
    }
}
