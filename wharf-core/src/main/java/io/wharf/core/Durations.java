package io.wharf.core;

import java.time.Duration;

/** Parses and prints the short durations used across the API and CLI: {@code 500ms}, {@code 3s}, {@code 1m}, {@code 2h}. */
public final class Durations {
    private Durations() {}

    /**
     * Parses {@code text}, naming {@code field} when it is malformed.
     *
     * @throws InvalidInputException if the text is not a number followed by ms, s, m or h
     */
    public static Duration parse(String field, String text) {
        String t = text.trim();
        int unitAt = 0;
        while (unitAt < t.length() && Character.isDigit(t.charAt(unitAt))) {
            unitAt++;
        }
        if (unitAt == 0 || unitAt > 9) {
            throw malformed(field, text);
        }
        long n = Long.parseLong(t, 0, unitAt, 10);
        return switch (t.substring(unitAt)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> throw malformed(field, text);
        };
    }

    private static InvalidInputException malformed(String field, String text) {
        return InvalidInputException.of(field, "'" + text + "' (expected: a duration such as 500ms, 10s, 5m or 1h)");
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
