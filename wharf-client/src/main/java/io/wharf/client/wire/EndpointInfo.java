package io.wharf.client.wire;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An endpoint as the registry holds it (claim 001.1: its id is {@code ip_port}).
 */
public final class EndpointInfo {
    private final String id;
    private final String ip;
    private final int port;
    private final EndpointState state;
    private final int weight;
    private final String version;
    private final Map<String, String> metadata;
    private final RegisteredBy registeredBy;
    private final String lease;
    private final long revision;

    public EndpointInfo(
            @Nullable String id,
            @Nullable String ip,
            int port,
            EndpointState state,
            int weight,
            @Nullable String version,
            @Nullable Map<String, String> metadata,
            RegisteredBy registeredBy,
            @Nullable String lease,
            long revision) {
        this.id = id == null ? "" : id;
        this.ip = ip == null ? "" : ip;
        this.port = port;
        this.state = Objects.requireNonNull(state, "state");
        this.weight = weight;
        this.version = version == null ? "" : version;
        this.metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        this.registeredBy = Objects.requireNonNull(registeredBy, "registeredBy");
        this.lease = lease == null ? "" : lease;
        this.revision = revision;
    }

    /** Its id, {@code ip_port}. */
    public String id() {
        return id;
    }

    /** Its IP. */
    public String ip() {
        return ip;
    }

    /** Its port. */
    public int port() {
        return port;
    }

    /** Whether it takes traffic. */
    public EndpointState state() {
        return state;
    }

    /** Its share of traffic relative to the others. */
    public int weight() {
        return weight;
    }

    /** The version it runs; empty if unknown. */
    public String version() {
        return version;
    }

    /** Free-form labels, e.g. its container and host. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Who registered it. */
    public RegisteredBy registeredBy() {
        return registeredBy;
    }

    /** The lease it lives on. */
    public String lease() {
        return lease;
    }

    /** The registry revision of its last change. */
    public long revision() {
        return revision;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof EndpointInfo)) return false;
        EndpointInfo other = (EndpointInfo) o;
        return Objects.equals(id, other.id)
                && Objects.equals(ip, other.ip)
                && port == other.port
                && Objects.equals(state, other.state)
                && weight == other.weight
                && Objects.equals(version, other.version)
                && Objects.equals(metadata, other.metadata)
                && Objects.equals(registeredBy, other.registeredBy)
                && Objects.equals(lease, other.lease)
                && revision == other.revision;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, ip, port, state, weight, version, metadata, registeredBy, lease, revision);
    }

    @Override
    public String toString() {
        return "EndpointInfo[" + "id=" + id + ", ip=" + ip + ", port=" + port + ", state=" + state + ", weight="
                + weight + ", version=" + version + ", metadata=" + metadata + ", registeredBy=" + registeredBy
                + ", lease=" + lease + ", revision=" + revision + "]";
    }
}
