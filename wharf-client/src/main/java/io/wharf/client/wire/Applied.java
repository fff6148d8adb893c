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
    private final boolean dryRun;

    public Applied(long generation, @Nullable Map<String, Object> spec, boolean dryRun) {
        this.generation = generation;
        this.spec = spec == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(spec));
        this.dryRun = dryRun;
    }

    /** The spec's generation; 0 for a dry run. */
    public long generation() {
        return generation;
    }

    /** The spec as stored, with every default filled in. */
    public Map<String, Object> spec() {
        return spec;
    }

    /** Whether it was only checked, and nothing stored. */
    public boolean dryRun() {
        return dryRun;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof Applied)) return false;
        Applied other = (Applied) o;
        return generation == other.generation && Objects.equals(spec, other.spec) && dryRun == other.dryRun;
    }

    @Override
    public int hashCode() {
        return Objects.hash(generation, spec, dryRun);
    }

    @Override
    public String toString() {
        return "Applied[" + "generation=" + generation + ", spec=" + spec + ", dryRun=" + dryRun + "]";
    }
}
