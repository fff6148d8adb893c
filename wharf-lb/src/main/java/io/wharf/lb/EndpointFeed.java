package io.wharf.lb;

import io.wharf.core.registry.ServiceKey;
import io.wharf.lb.balance.BackendSet;
import java.util.List;

/**
 * Where the load balancer learns a service's endpoints: the registry's watch. A feed calls its listener
 * with the whole list after every change and, once the listener has returned, acknowledges that revision
 * to the registry, so that a release knows this load balancer no longer sends anything new to a removed
 * endpoint.
 */
public interface EndpointFeed {
    /** Called with the service's endpoints as of {@code revision}, after every change. */
    @FunctionalInterface
    interface Listener {
        void update(long revision, List<BackendSet.Member> endpoints);
    }

    /** Starts following {@code service}; closing the result stops it. */
    AutoCloseable follow(ServiceKey service, Listener listener);
}
