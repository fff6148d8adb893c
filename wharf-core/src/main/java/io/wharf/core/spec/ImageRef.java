package io.wharf.core.spec;

import static java.util.Objects.requireNonNull;

import io.wharf.core.InvalidInputException;

/**
 * An image, {@code name:version}: for the process runtime an application package and its start command,
 * for container engines an image reference.
 */
public record ImageRef(String name, String version) {
    public ImageRef {
        requireNonNull(name, "name");
        requireNonNull(version, "version");
        if (!name.matches("[a-z0-9]([-a-z0-9._]{0,126}[a-z0-9])?")) {
            throw InvalidInputException.of(
                    "image", "name '" + name + "' (expected: lower-case letters, digits, '-', '.', '_')");
        }
        if (!version.matches("[A-Za-z0-9][-A-Za-z0-9._]{0,127}")) {
            throw InvalidInputException.of(
                    "image", "version '" + version + "' (expected: letters, digits, '-', '.', '_')");
        }
    }

    /** Parses {@code name:version}. */
    public static ImageRef parse(String field, String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw InvalidInputException.of(field, "'" + text + "' (expected: name:version, e.g. demo:v1)");
        }
        try {
            return new ImageRef(text.substring(0, colon), text.substring(colon + 1));
        } catch (InvalidInputException e) {
            throw InvalidInputException.of(field, e.violations().get(0).reason());
        }
    }

    @Override
    public String toString() {
        return name + ":" + version;
    }
}
