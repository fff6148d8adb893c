package io.wharf.client.wire;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A namespace.
 */
public final class NamespaceInfo {
    private final String name;
    private final Instant createdAt;

    public NamespaceInfo(@Nullable String name, Instant createdAt) {
        this.name = name == null ? "" : name;
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Its name. */
    public String name() {
        return name;
    }

    /** When it was created. */
    public Instant createdAt() {
        return createdAt;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof NamespaceInfo)) return false;
        NamespaceInfo other = (NamespaceInfo) o;
        return Objects.equals(name, other.name) && Objects.equals(createdAt, other.createdAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, createdAt);
    }

    @Override
    public String toString() {
        return "NamespaceInfo[" + "name=" + name + ", createdAt=" + createdAt + "]";
    }
}
