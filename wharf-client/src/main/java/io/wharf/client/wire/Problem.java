package io.wharf.client.wire;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An RFC 9457 problem: every refusal and failure the API answers with.
 */
public final class Problem {
    private final String type;
    private final String title;
    private final int status;
    private final String detail;
    private final String instance;
    private final @Nullable String field;
    private final @Nullable String reason;
    private final @Nullable List<FieldError> errors;

    public Problem(
            @Nullable String type,
            @Nullable String title,
            int status,
            @Nullable String detail,
            @Nullable String instance,
            @Nullable String field,
            @Nullable String reason,
            @Nullable List<FieldError> errors) {
        this.type = type == null ? "" : type;
        this.title = title == null ? "" : title;
        this.status = status;
        this.detail = detail == null ? "" : detail;
        this.instance = instance == null ? "" : instance;
        this.field = field;
        this.reason = reason;
        this.errors = errors == null ? null : Collections.unmodifiableList(new ArrayList<>(errors));
    }

    /** Always {@code about:blank}. */
    public String type() {
        return type;
    }

    /** The status's title. */
    public String title() {
        return title;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** What went wrong, for people. */
    public String detail() {
        return detail;
    }

    /** The path of the request. */
    public String instance() {
        return instance;
    }

    /** The first refused field. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    /** Why it was refused. */
    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    /** Every refused field. */
    public Optional<List<FieldError>> errors() {
        return Optional.ofNullable(errors);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof Problem)) return false;
        Problem other = (Problem) o;
        return Objects.equals(type, other.type)
                && Objects.equals(title, other.title)
                && status == other.status
                && Objects.equals(detail, other.detail)
                && Objects.equals(instance, other.instance)
                && Objects.equals(field, other.field)
                && Objects.equals(reason, other.reason)
                && Objects.equals(errors, other.errors);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, title, status, detail, instance, field, reason, errors);
    }

    @Override
    public String toString() {
        return "Problem[" + "type=" + type + ", title=" + title + ", status=" + status + ", detail=" + detail
                + ", instance=" + instance + ", field=" + field + ", reason=" + reason + ", errors=" + errors + "]";
    }
}
