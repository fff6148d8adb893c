package io.wharf.client.wire;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A row of the container (monitoring) table, claim 000.6, with what its agent last said of it.
 */
public final class ContainerInfo {
    private final String id;
    private final String namespace;
    private final String service;
    private final int ordinal;
    private final String host;
    private final String image;
    private final String ip;
    private final int port;
    private final String endpoint;
    private final Desired desired;
    private final Registration registration;
    private final ContainerState state;
    private final @Nullable ContainerReport observed;
    private final @Nullable ContainerUsage usage;
    private final Instant createdAt;
    private final Instant updatedAt;

    public ContainerInfo(
            @Nullable String id,
            @Nullable String namespace,
            @Nullable String service,
            int ordinal,
            @Nullable String host,
            @Nullable String image,
            @Nullable String ip,
            int port,
            @Nullable String endpoint,
            Desired desired,
            Registration registration,
            ContainerState state,
            @Nullable ContainerReport observed,
            @Nullable ContainerUsage usage,
            Instant createdAt,
            Instant updatedAt) {
        this.id = id == null ? "" : id;
        this.namespace = namespace == null ? "" : namespace;
        this.service = service == null ? "" : service;
        this.ordinal = ordinal;
        this.host = host == null ? "" : host;
        this.image = image == null ? "" : image;
        this.ip = ip == null ? "" : ip;
        this.port = port;
        this.endpoint = endpoint == null ? "" : endpoint;
        this.desired = Objects.requireNonNull(desired, "desired");
        this.registration = Objects.requireNonNull(registration, "registration");
        this.state = Objects.requireNonNull(state, "state");
        this.observed = observed;
        this.usage = usage;
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        this.updatedAt = Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** The container, {@code namespace.service.ordinal}. */
    public String id() {
        return id;
    }

    /** Its service's namespace. */
    public String namespace() {
        return namespace;
    }

    /** Its service. */
    public String service() {
        return service;
    }

    /** Its number within the service. */
    public int ordinal() {
        return ordinal;
    }

    /** The host it is placed on. */
    public String host() {
        return host;
    }

    /** Its image, {@code name:version}. */
    public String image() {
        return image;
    }

    /** Its own IP. */
    public String ip() {
        return ip;
    }

    /** Its main port. */
    public int port() {
        return port;
    }

    /** Its endpoint, {@code ip_port}. */
    public String endpoint() {
        return endpoint;
    }

    /** Whether it should run. */
    public Desired desired() {
        return desired;
    }

    /** Whether its agent registers it. */
    public Registration registration() {
        return registration;
    }

    /** What its agent last said it is doing. */
    public ContainerState state() {
        return state;
    }

    /** Its agent's last report of it. */
    public Optional<ContainerReport> observed() {
        return Optional.ofNullable(observed);
    }

    /** What it uses now, once its agent has reported it running twice. */
    public Optional<ContainerUsage> usage() {
        return Optional.ofNullable(usage);
    }

    /** When it was placed. */
    public Instant createdAt() {
        return createdAt;
    }

    /** When its row last changed. */
    public Instant updatedAt() {
        return updatedAt;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof ContainerInfo)) return false;
        ContainerInfo other = (ContainerInfo) o;
        return Objects.equals(id, other.id)
                && Objects.equals(namespace, other.namespace)
                && Objects.equals(service, other.service)
                && ordinal == other.ordinal
                && Objects.equals(host, other.host)
                && Objects.equals(image, other.image)
                && Objects.equals(ip, other.ip)
                && port == other.port
                && Objects.equals(endpoint, other.endpoint)
                && Objects.equals(desired, other.desired)
                && Objects.equals(registration, other.registration)
                && Objects.equals(state, other.state)
                && Objects.equals(observed, other.observed)
                && Objects.equals(usage, other.usage)
                && Objects.equals(createdAt, other.createdAt)
                && Objects.equals(updatedAt, other.updatedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                id,
                namespace,
                service,
                ordinal,
                host,
                image,
                ip,
                port,
                endpoint,
                desired,
                registration,
                state,
                observed,
                usage,
                createdAt,
                updatedAt);
    }

    @Override
    public String toString() {
        return "ContainerInfo[" + "id=" + id + ", namespace=" + namespace + ", service=" + service + ", ordinal="
                + ordinal + ", host=" + host + ", image=" + image + ", ip=" + ip + ", port=" + port + ", endpoint="
                + endpoint + ", desired=" + desired + ", registration=" + registration + ", state=" + state
                + ", observed=" + observed + ", usage=" + usage + ", createdAt=" + createdAt + ", updatedAt="
                + updatedAt + "]";
    }
}
