package io.wharf.cli;

import java.util.Locale;

/** Sizes for people: binary units, three significant figures at most. */
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
}
