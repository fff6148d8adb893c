package io.wharf.client.wire;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A volume as the API shows it: whose it is, where it is, how large, and whether a container uses it. */
public final class VolumeInfo {
    private final String namespace;
    private final String service;
    private final int ordinal;
    private final String container;
    private final String name;
    private final String host;
    private final String ip;
    private final long sizeBytes;
    private final long usedBytes;
    private final String state;
    private final java.time.Instant createdAt;

    public VolumeInfo(
            @Nullable String namespace,
            @Nullable String service,
            int ordinal,
            @Nullable String container,
            @Nullable String name,
            @Nullable String host,
            @Nullable String ip,
            long sizeBytes,
            long usedBytes,
            @Nullable String state,
            java.time.Instant createdAt) {
        this.namespace = namespace == null ? "" : namespace;
        this.service = service == null ? "" : service;
        this.ordinal = ordinal;
        this.container = container == null ? "" : container;
        this.name = name == null ? "" : name;
        this.host = host == null ? "" : host;
        this.ip = ip == null ? "" : ip;
        this.sizeBytes = sizeBytes;
        this.usedBytes = usedBytes;
        this.state = state == null ? "" : state;
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
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

    /** The name of that container, {@code service-ordinal}. */
    public String container() {
        return container;
    }

    /** Its name in the spec. */
    public String name() {
        return name;
    }

    /** The host it is on. */
    public String host() {
        return host;
    }

    /** The IP its container has there. */
    public String ip() {
        return ip;
    }

    /** The size the spec asked for; 0 if it named none. */
    public long sizeBytes() {
        return sizeBytes;
    }

    /** The size of its files as its agent last reported; -1 before it has. */
    public long usedBytes() {
        return usedBytes;
    }

    /** {@code in-use} (a container of its ordinal runs), {@code kept} (none does: kept until deleted), {@code deleting}. */
    public String state() {
        return state;
    }

    /** When it was bound to its host. */
    public java.time.Instant createdAt() {
        return createdAt;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof VolumeInfo)) return false;
        VolumeInfo other = (VolumeInfo) o;
        return Objects.equals(namespace, other.namespace)
                && Objects.equals(service, other.service)
                && ordinal == other.ordinal
                && Objects.equals(container, other.container)
                && Objects.equals(name, other.name)
                && Objects.equals(host, other.host)
                && Objects.equals(ip, other.ip)
                && sizeBytes == other.sizeBytes
                && usedBytes == other.usedBytes
                && Objects.equals(state, other.state)
                && Objects.equals(createdAt, other.createdAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                namespace, service, ordinal, container, name, host, ip, sizeBytes, usedBytes, state, createdAt);
    }

    @Override
    public String toString() {
        return "VolumeInfo[namespace=" + namespace + ", service=" + service + ", ordinal=" + ordinal + ", container="
                + container + ", name=" + name + ", host=" + host + ", ip=" + ip + ", sizeBytes=" + sizeBytes
                + ", usedBytes=" + usedBytes + ", state=" + state + ", createdAt=" + createdAt + "]";
    }
}
