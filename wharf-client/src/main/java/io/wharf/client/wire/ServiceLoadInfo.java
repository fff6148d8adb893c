package io.wharf.client.wire;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What every host's load balancer reports of a service.
 */
public final class ServiceLoadInfo {
    private final String namespace;
    private final String service;
    private final List<HostLoad> loadBalancers;

    public ServiceLoadInfo(
            @Nullable String namespace, @Nullable String service, @Nullable List<HostLoad> loadBalancers) {
        this.namespace = namespace == null ? "" : namespace;
        this.service = service == null ? "" : service;
        this.loadBalancers =
                loadBalancers == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(loadBalancers));
    }

    /** The namespace. */
    public String namespace() {
        return namespace;
    }

    /** The service. */
    public String service() {
        return service;
    }

    /** One per load balancer that serves it. */
    public List<HostLoad> loadBalancers() {
        return loadBalancers;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof ServiceLoadInfo)) return false;
        ServiceLoadInfo other = (ServiceLoadInfo) o;
        return Objects.equals(namespace, other.namespace)
                && Objects.equals(service, other.service)
                && Objects.equals(loadBalancers, other.loadBalancers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespace, service, loadBalancers);
    }

    @Override
    public String toString() {
        return "ServiceLoadInfo[" + "namespace=" + namespace + ", service=" + service + ", loadBalancers="
                + loadBalancers + "]";
    }
}
