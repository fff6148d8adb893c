package io.wharf.client.wire;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A volume an agent holds on its host, with the space its files take. */
public final class VolumeReport {
    private final String namespace;
    private final String service;
    private final int ordinal;
    private final String name;
    private final long usedBytes;

    public VolumeReport(
            @Nullable String namespace, @Nullable String service, int ordinal, @Nullable String name, long usedBytes) {
        this.namespace = namespace == null ? "" : namespace;
        this.service = service == null ? "" : service;
        this.ordinal = ordinal;
        this.name = name == null ? "" : name;
        this.usedBytes = usedBytes;
    }

    /** Its service's namespace. */
    public String namespace() {
        return namespace;
    }

    /** Its service. */
    public String service() {
        return service;
    }

    /** The container ordinal it belongs to. */
    public int ordinal() {
        return ordinal;
    }

    /** Its name. */
    public String name() {
        return name;
    }

    /** The size of its files when last measured. */
    public long usedBytes() {
        return usedBytes;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof VolumeReport)) return false;
        VolumeReport other = (VolumeReport) o;
        return Objects.equals(namespace, other.namespace)
                && Objects.equals(service, other.service)
                && ordinal == other.ordinal
                && Objects.equals(name, other.name)
                && usedBytes == other.usedBytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespace, service, ordinal, name, usedBytes);
    }

    @Override
    public String toString() {
        return "VolumeReport[namespace=" + namespace + ", service=" + service + ", ordinal=" + ordinal + ", name="
                + name + ", usedBytes=" + usedBytes + "]";
    }
}
