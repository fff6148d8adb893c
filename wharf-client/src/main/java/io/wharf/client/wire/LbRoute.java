package io.wharf.client.wire;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One published port for a host's load balancer (claim 004.4).
 */
public final class LbRoute {
    private final String namespace;
    private final String service;
    private final Protocol protocol;
    private final int external;
    private final int port;
    private final String contextPath;
    private final String rule;
    private final @Nullable String hashHeader;
    private final long slowStartMillis;

    public LbRoute(
            @Nullable String namespace,
            @Nullable String service,
            Protocol protocol,
            int external,
            int port,
            @Nullable String contextPath,
            @Nullable String rule,
            @Nullable String hashHeader,
            long slowStartMillis) {
        this.namespace = namespace == null ? "" : namespace;
        this.service = service == null ? "" : service;
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.external = external;
        this.port = port;
        this.contextPath = contextPath == null ? "" : contextPath;
        this.rule = rule == null ? "" : rule;
        this.hashHeader = hashHeader;
        this.slowStartMillis = slowStartMillis;
    }

    /** The service's namespace. */
    public String namespace() {
        return namespace;
    }

    /** The service. */
    public String service() {
        return service;
    }

    /** HTTP or TCP. */
    public Protocol protocol() {
        return protocol;
    }

    /** The port users reach. */
    public int external() {
        return external;
    }

    /** The port on each endpoint. */
    public int port() {
        return port;
    }

    /** The path prefix routed to the service (HTTP) */
    public String contextPath() {
        return contextPath;
    }

    /** The balancing rule. */
    public String rule() {
        return rule;
    }

    /** For consistent hashing, the request header hashed. */
    public Optional<String> hashHeader() {
        return Optional.ofNullable(hashHeader);
    }

    /** How long a new endpoint takes to get its full share. */
    public long slowStartMillis() {
        return slowStartMillis;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof LbRoute)) return false;
        LbRoute other = (LbRoute) o;
        return Objects.equals(namespace, other.namespace)
                && Objects.equals(service, other.service)
                && Objects.equals(protocol, other.protocol)
                && external == other.external
                && port == other.port
                && Objects.equals(contextPath, other.contextPath)
                && Objects.equals(rule, other.rule)
                && Objects.equals(hashHeader, other.hashHeader)
                && slowStartMillis == other.slowStartMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                namespace, service, protocol, external, port, contextPath, rule, hashHeader, slowStartMillis);
    }

    @Override
    public String toString() {
        return "LbRoute[" + "namespace=" + namespace + ", service=" + service + ", protocol=" + protocol + ", external="
                + external + ", port=" + port + ", contextPath=" + contextPath + ", rule=" + rule + ", hashHeader="
                + hashHeader + ", slowStartMillis=" + slowStartMillis + "]";
    }
}
