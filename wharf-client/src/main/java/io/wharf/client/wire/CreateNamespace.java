package io.wharf.client.wire;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A request to create a namespace.
 */
public final class CreateNamespace {
    private final @Nullable String name;

    public CreateNamespace(@Nullable String name) {
        this.name = name;
    }

    /** Its name. */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof CreateNamespace)) return false;
        CreateNamespace other = (CreateNamespace) o;
        return Objects.equals(name, other.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name);
    }

    @Override
    public String toString() {
        return "CreateNamespace[" + "name=" + name + "]";
    }
}
