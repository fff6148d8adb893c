package io.wharf.core;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.stream.Collectors;

/** Input that was refused, with every wrong field named. Maps to HTTP 400. */
public final class InvalidInputException extends WharfException {
    private final List<Violation> violations;

    public InvalidInputException(List<Violation> violations) {
        super(describe(violations));
        this.violations = List.copyOf(violations);
    }

    /** A single wrong field. */
    public static InvalidInputException of(String field, String reason) {
        return new InvalidInputException(List.of(new Violation(field, reason)));
    }

    /** The wrong fields, at least one. */
    public List<Violation> violations() {
        return violations;
    }

    private static String describe(List<Violation> violations) {
        requireNonNull(violations, "violations");
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("violations: [] (expected: at least one)");
        }
        return violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
    }
}
