package io.wharf.core;

import static java.util.Objects.requireNonNull;

/**
 * One wrong field of an input: where it is and why it was refused.
 *
 * @param field the field's path, e.g. {@code port} or {@code metadata.zone}
 * @param reason what was given and what was expected
 */
public record Violation(String field, String reason) {
    public Violation {
        requireNonNull(field, "field");
        requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return field + ": " + reason;
    }
}
