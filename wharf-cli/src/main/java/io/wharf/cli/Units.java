package io.wharf.cli;

import java.util.Locale;

/** Sizes and times for people: binary units, three significant figures at most. */
final class Units {
    private static final String[] SUFFIXES = {"B", "Ki", "Mi", "Gi", "Ti", "Pi"};

    private Units() {}

    /** {@code 0B}, {@code 512B}, {@code 1.5Ki}, {@code 85Mi}, {@code 2.0Gi}. */
    static String bytes(double n) {
        if (!(n >= 0) || Double.isInfinite(n)) return "-";
        int i = 0;
        while (n >= 1024 && i < SUFFIXES.length - 1) {
            n /= 1024;
            i++;
        }
        if (i == 0) return Math.round(n) + SUFFIXES[0];
        return (n < 10 ? String.format(Locale.ROOT, "%.1f", n) : String.valueOf(Math.round(n))) + SUFFIXES[i];
    }

    /** {@code 850us}, {@code 1.2ms}, {@code 35ms}, {@code 2.4s}. */
    static String micros(long us) {
        if (us < 1000) return us + "us";
        if (us < 10_000) return String.format(Locale.ROOT, "%.1fms", us / 1000.0);
        if (us < 1_000_000) return (us / 1000) + "ms";
        return String.format(Locale.ROOT, "%.1fs", us / 1_000_000.0);
    }
}
