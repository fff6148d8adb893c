package io.wharf.client.wire;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One refused field and why.
 */
public final class FieldError {
    private final String field;
    private final String reason;

    public FieldError(@Nullable String field, @Nullable String reason) {
        this.field = field == null ? "" : field;
        this.reason = reason == null ? "" : reason;
    }

    /** The field, e.g. {@code ports[0].external}. */
    public String field() {
        return field;
    }

    /** What was given and what was expected. */
    public String reason() {
        return reason;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof FieldError)) return false;
        FieldError other = (FieldError) o;
        return Objects.equals(field, other.field) && Objects.equals(reason, other.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(field, reason);
    }

    @Override
    public String toString() {
        return "FieldError[" + "field=" + field + ", reason=" + reason + "]";
    }
}
