package io.wharf.client.sdk;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One endpoint of a service as the SDK sees it, whichever registry interface it came through: where it is
 * ({@code ip:port}), its version, its weight, whether it takes new requests, and its metadata.
 */
public final class Instance {
    private final String namespace;
    private final String service;
    private final String ip;
    private final int port;
    private final String id;
    private final String version;
    private final int weight;
    private final boolean up;
    private final Map<String, String> metadata;

    public Instance(
            String namespace,
            String service,
            String ip,
            int port,
            @Nullable String version,
            int weight,
            boolean up,
            @Nullable Map<String, String> metadata) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.service = Objects.requireNonNull(service, "service");
        this.ip = Objects.requireNonNull(ip, "ip");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
        if (weight < 0) throw new IllegalArgumentException("weight: " + weight + " (expected: >= 0)");
        this.port = port;
        this.id = ip + "_" + port;
        this.version = version == null ? "" : version;
        this.weight = weight;
        this.up = up;
        this.metadata = metadata == null || metadata.isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    public String namespace() {
        return namespace;
    }

    public String service() {
        return service;
    }

    public String ip() {
        return ip;
    }

    public int port() {
        return port;
    }

    /** Its endpoint id in Wharf's registry, {@code ip_port} (claim 001.1). */
    public String id() {
        return id;
    }

    /** The version it runs; empty if its registry did not say. */
    public String version() {
        return version;
    }

    /** Its share of requests against the others' (100 is the default); 0 takes none. */
    public int weight() {
        return weight;
    }

    /** Whether it takes new requests (UP); a draining endpoint does not. */
    public boolean up() {
        return up;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof Instance)) return false;
        Instance other = (Instance) o;
        return namespace.equals(other.namespace)
                && service.equals(other.service)
                && ip.equals(other.ip)
                && port == other.port
                && version.equals(other.version)
                && weight == other.weight
                && up == other.up
                && metadata.equals(other.metadata);
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespace, service, ip, port, version, weight, up, metadata);
    }

    @Override
    public String toString() {
        return namespace + "/" + service + "/" + id() + (version.isEmpty() ? "" : " " + version)
                + (up ? "" : " (not up)");
    }
}
