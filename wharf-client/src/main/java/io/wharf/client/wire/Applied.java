package io.wharf.client.wire;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What applying a service spec answers.
 */
public final class Applied {
    private final long generation;
    private final Map<String, Object> spec;

    public Applied(long generation, @Nullable Map<String, Object> spec) {
        this.generation = generation;
        this.spec = spec == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(spec));
    }

    /** The spec's generation. */
    public long generation() {
        return generation;
    }

    /** The spec as stored, with every default filled in. */
    public Map<String, Object> spec() {
        return spec;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof Applied)) return false;
        Applied other = (Applied) o;
        return generation == other.generation && Objects.equals(spec, other.spec);
    }

    @Override
    public int hashCode() {
        return Objects.hash(generation, spec);
    }

    @Override
    public String toString() {
        return "Applied[" + "generation=" + generation + ", spec=" + spec + "]";
    }
}
