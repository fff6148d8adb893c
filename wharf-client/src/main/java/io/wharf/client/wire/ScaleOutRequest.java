package io.wharf.client.wire;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A request for one scale-out task over service groups (claim 000.1).
 */
public final class ScaleOutRequest {
    private final @Nullable List<String> groups;

    public ScaleOutRequest(@Nullable List<String> groups) {
        this.groups = groups == null ? null : Collections.unmodifiableList(new ArrayList<>(groups));
    }

    /** The group labels. */
    public Optional<List<String>> groups() {
        return Optional.ofNullable(groups);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof ScaleOutRequest)) return false;
        ScaleOutRequest other = (ScaleOutRequest) o;
        return Objects.equals(groups, other.groups);
    }

    @Override
    public int hashCode() {
        return Objects.hash(groups);
    }

    @Override
    public String toString() {
        return "ScaleOutRequest[" + "groups=" + groups + "]";
    }
}
