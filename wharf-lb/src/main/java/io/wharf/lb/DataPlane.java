package io.wharf.lb;

import io.wharf.client.wire.Protocol;
import io.wharf.core.registry.ServiceKey;
import io.wharf.lb.balance.BackendSet;
import java.util.List;
import java.util.Map;

/**
 * What carries users' requests to a service's endpoints on one host (claims 004.5, 004.6): listens on the
 * published ports, routes each to its service's endpoints by the service's rule, takes endpoint changes live,
 * and counts what each endpoint serves. The built-in proxy is one; {@link LoadBalancer} feeds any of them from
 * the registry.
 */
public interface DataPlane extends AutoCloseable {
    /**
     * Serves exactly {@code routes}: listens on their external ports and sends each to its service.
     *
     * @return the external ports it could not serve, each with the reason
     */
    Map<Integer, String> serve(List<Route> routes);

    /**
     * The endpoints of a routed service as of registry revision {@code revision}. Once this returns, no new
     * request goes to an endpoint that is not among them, so the revision may be acknowledged.
     */
    void update(ServiceKey service, long revision, List<BackendSet.Member> endpoints);

    /** The ports it listens on, with their protocol. */
    Map<Integer, Protocol> ports();

    /** Per routed service: the revision it has applied, what is in flight and what each endpoint has served. */
    List<ServiceLoad> load();

    /** The bytes it has exchanged with each endpoint IP (one container each) since it started, by IP. */
    Map<String, Traffic> traffic();

    /**
     * Runs {@code listener} whenever what {@link #load} reports changes in a way a release waits for: a
     * revision applied, or an endpoint that left finishing its last request. It must only hand off.
     */
    void onChange(Runnable listener);

    @Override
    void close();
}
