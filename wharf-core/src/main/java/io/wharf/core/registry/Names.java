package io.wharf.core.registry;

import static java.util.Objects.requireNonNull;

import io.wharf.core.InvalidInputException;

/** The rules for namespace and service names: lower-case DNS labels, so they fit host names and URLs. */
public final class Names {
    /** The namespace that always exists. */
    public static final String DEFAULT_NAMESPACE = "default";

    private Names() {}

    /** Returns {@code name} if it is a valid name for {@code field}, else throws naming the field. */
    public static String check(String field, String name) {
        requireNonNull(name, field);
        if (!isLabel(name)) {
            throw InvalidInputException.of(
                    field,
                    "'" + printable(name) + "' (expected: 1-63 lower-case letters, digits or '-', starting and ending"
                            + " with a letter or digit)");
        }
        return name;
    }

    /**
     * {@code s} as it may be quoted back in an error: control characters (a newline, say) escaped, and cut to 64
     * characters, so that no answer or log line carries what a client smuggled in.
     */
    public static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && out.length() < 64; i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        return s.length() > 64 ? out + "…" : out.toString();
    }

    /** Whether {@code s} is 1-63 of [a-z0-9-], not starting or ending with '-'. On every request's path: no regex. */
    private static boolean isLabel(String s) {
        int n = s.length();
        if (n == 0 || n > 63 || s.charAt(0) == '-' || s.charAt(n - 1) == '-') {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
