package io.wharf.client.wire;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A routed service as one load balancer serves it.
 */
public final class ServiceLoad {
    private final String namespace;
    private final String service;
    private final String rule;
    private final String slowStart;
    private final long revision;
    private final Map<String, Integer> inFlight;
    private final Map<String, Served> served;

    public ServiceLoad(
            @Nullable String namespace,
            @Nullable String service,
            @Nullable String rule,
            @Nullable String slowStart,
            long revision,
            @Nullable Map<String, Integer> inFlight,
            @Nullable Map<String, Served> served) {
        this.namespace = namespace == null ? "" : namespace;
        this.service = service == null ? "" : service;
        this.rule = rule == null ? "" : rule;
        this.slowStart = slowStart == null ? "" : slowStart;
        this.revision = revision;
        this.inFlight = inFlight == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(inFlight));
        this.served = served == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(served));
    }

    /** The namespace. */
    public String namespace() {
        return namespace;
    }

    /** The service. */
    public String service() {
        return service;
    }

    /** The balancing rule it applies. */
    public String rule() {
        return rule;
    }

    /** The slow start it applies. */
    public String slowStart() {
        return slowStart;
    }

    /** The registry revision it has applied. */
    public long revision() {
        return revision;
    }

    /** Requests (HTTP) or connections (TCP) in flight per endpoint, including endpoints that left but still finish requests. */
    public Map<String, Integer> inFlight() {
        return inFlight;
    }

    /** What each endpoint has served since it joined. */
    public Map<String, Served> served() {
        return served;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof ServiceLoad)) return false;
        ServiceLoad other = (ServiceLoad) o;
        return Objects.equals(namespace, other.namespace)
                && Objects.equals(service, other.service)
                && Objects.equals(rule, other.rule)
                && Objects.equals(slowStart, other.slowStart)
                && revision == other.revision
                && Objects.equals(inFlight, other.inFlight)
                && Objects.equals(served, other.served);
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespace, service, rule, slowStart, revision, inFlight, served);
    }

    @Override
    public String toString() {
        return "ServiceLoad[" + "namespace=" + namespace + ", service=" + service + ", rule=" + rule + ", slowStart="
                + slowStart + ", revision=" + revision + ", inFlight=" + inFlight + ", served=" + served + "]";
    }
}
