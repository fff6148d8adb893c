package io.wharf.client.wire;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A service's endpoints at one registry revision: what a read answers and a watch starts from.
 */
public final class ServiceEndpoints {
    private final String namespace;
    private final String service;
    private final long revision;
    private final List<EndpointInfo> endpoints;

    public ServiceEndpoints(
            @Nullable String namespace,
            @Nullable String service,
            long revision,
            @Nullable List<EndpointInfo> endpoints) {
        this.namespace = namespace == null ? "" : namespace;
        this.service = service == null ? "" : service;
        this.revision = revision;
        this.endpoints = endpoints == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(endpoints));
    }

    /** The namespace. */
    public String namespace() {
        return namespace;
    }

    /** The service. */
    public String service() {
        return service;
    }

    /** The revision the list is current at. */
    public long revision() {
        return revision;
    }

    /** The endpoints, ordered by id. */
    public List<EndpointInfo> endpoints() {
        return endpoints;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof ServiceEndpoints)) return false;
        ServiceEndpoints other = (ServiceEndpoints) o;
        return Objects.equals(namespace, other.namespace)
                && Objects.equals(service, other.service)
                && revision == other.revision
                && Objects.equals(endpoints, other.endpoints);
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespace, service, revision, endpoints);
    }

    @Override
    public String toString() {
        return "ServiceEndpoints[" + "namespace=" + namespace + ", service=" + service + ", revision=" + revision
                + ", endpoints=" + endpoints + "]";
    }
}
