package io.wharf.client.wire;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A volume of the container's ordinal, as its agent mounts it (claim 002.1). */
public final class VolumeMount {
    private final String name;
    private final String path;
    private final long sizeBytes;

    public VolumeMount(@Nullable String name, @Nullable String path, long sizeBytes) {
        this.name = name == null ? "" : name;
        this.path = path == null ? "" : path;
        this.sizeBytes = sizeBytes;
    }

    /** Its name in the spec. */
    public String name() {
        return name;
    }

    /** Where the container sees it, relative to its directory. */
    public String path() {
        return path;
    }

    /** The size the spec asks for; 0 if it names none. */
    public long sizeBytes() {
        return sizeBytes;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof VolumeMount)) return false;
        VolumeMount other = (VolumeMount) o;
        return Objects.equals(name, other.name) && Objects.equals(path, other.path) && sizeBytes == other.sizeBytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, path, sizeBytes);
    }

    @Override
    public String toString() {
        return "VolumeMount[name=" + name + ", path=" + path + ", sizeBytes=" + sizeBytes + "]";
    }
}
