package io.wharf.core.registry;

import static java.util.Objects.requireNonNull;

import io.wharf.core.InvalidInputException;
import java.util.regex.Pattern;

/** The rules for namespace and service names: lower-case DNS labels, so they fit host names and URLs. */
public final class Names {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    /** The namespace that always exists. */
    public static final String DEFAULT_NAMESPACE = "default";

    private Names() {}

    /** Returns {@code name} if it is a valid name for {@code field}, else throws naming the field. */
    public static String check(String field, String name) {
        requireNonNull(name, field);
        if (!LABEL.matcher(name).matches()) {
            throw InvalidInputException.of(
                    field,
                    "'" + name + "' (expected: 1-63 lower-case letters, digits or '-', starting and ending"
                            + " with a letter or digit)");
        }
        return name;
    }
}
