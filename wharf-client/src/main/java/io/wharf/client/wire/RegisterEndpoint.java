package io.wharf.client.wire;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A request to register (or register again) an endpoint. Every field is optional.
 */
public final class RegisterEndpoint {
    private final @Nullable String version;
    private final @Nullable Integer weight;
    private final @Nullable String ttl;
    private final @Nullable String lease;
    private final @Nullable Map<String, String> metadata;
    private final @Nullable EndpointState state;
    private final @Nullable RegisteredBy registeredBy;

    public RegisterEndpoint(
            @Nullable String version,
            @Nullable Integer weight,
            @Nullable String ttl,
            @Nullable String lease,
            @Nullable Map<String, String> metadata,
            @Nullable EndpointState state,
            @Nullable RegisteredBy registeredBy) {
        this.version = version;
        this.weight = weight;
        this.ttl = ttl;
        this.lease = lease;
        this.metadata = metadata == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        this.state = state;
        this.registeredBy = registeredBy;
    }

    /** The version it runs. */
    public Optional<String> version() {
        return Optional.ofNullable(version);
    }

    /** Its weight (default 1) */
    public Optional<Integer> weight() {
        return Optional.ofNullable(weight);
    }

    /** A lease of its own with this time to live (default 3s); not with {@code lease}. */
    public Optional<String> ttl() {
        return Optional.ofNullable(ttl);
    }

    /** A shared lease to live on; not with {@code ttl}. */
    public Optional<String> lease() {
        return Optional.ofNullable(lease);
    }

    /** Labels. */
    public Optional<Map<String, String>> metadata() {
        return Optional.ofNullable(metadata);
    }

    /** Its state (default UP) */
    public Optional<EndpointState> state() {
        return Optional.ofNullable(state);
    }

    /** Who registers it (default API) */
    public Optional<RegisteredBy> registeredBy() {
        return Optional.ofNullable(registeredBy);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof RegisterEndpoint)) return false;
        RegisterEndpoint other = (RegisterEndpoint) o;
        return Objects.equals(version, other.version)
                && Objects.equals(weight, other.weight)
                && Objects.equals(ttl, other.ttl)
                && Objects.equals(lease, other.lease)
                && Objects.equals(metadata, other.metadata)
                && Objects.equals(state, other.state)
                && Objects.equals(registeredBy, other.registeredBy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, weight, ttl, lease, metadata, state, registeredBy);
    }

    @Override
    public String toString() {
        return "RegisterEndpoint[" + "version=" + version + ", weight=" + weight + ", ttl=" + ttl + ", lease=" + lease
                + ", metadata=" + metadata + ", state=" + state + ", registeredBy=" + registeredBy + "]";
    }
}
