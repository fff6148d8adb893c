package io.wharf.client.wire;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A service of a namespace, with its endpoint counts by state.
 */
public final class ServiceInfo {
    private final String namespace;
    private final String name;
    private final Instant createdAt;
    private final long revision;
    private final Map<EndpointState, Long> endpoints;

    public ServiceInfo(
            @Nullable String namespace,
            @Nullable String name,
            Instant createdAt,
            long revision,
            @Nullable Map<EndpointState, Long> endpoints) {
        this.namespace = namespace == null ? "" : namespace;
        this.name = name == null ? "" : name;
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        this.revision = revision;
        this.endpoints = endpoints == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
    }

    /** Its namespace. */
    public String namespace() {
        return namespace;
    }

    /** Its name. */
    public String name() {
        return name;
    }

    /** When it was created. */
    public Instant createdAt() {
        return createdAt;
    }

    /** The revision of its last change. */
    public long revision() {
        return revision;
    }

    /** How many endpoints it has in each state. */
    public Map<EndpointState, Long> endpoints() {
        return endpoints;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof ServiceInfo)) return false;
        ServiceInfo other = (ServiceInfo) o;
        return Objects.equals(namespace, other.namespace)
                && Objects.equals(name, other.name)
                && Objects.equals(createdAt, other.createdAt)
                && revision == other.revision
                && Objects.equals(endpoints, other.endpoints);
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespace, name, createdAt, revision, endpoints);
    }

    @Override
    public String toString() {
        return "ServiceInfo[" + "namespace=" + namespace + ", name=" + name + ", createdAt=" + createdAt + ", revision="
                + revision + ", endpoints=" + endpoints + "]";
    }
}
