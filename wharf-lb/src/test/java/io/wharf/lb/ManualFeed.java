package io.wharf.lb;

import io.wharf.client.wire.EndpointState;
import io.wharf.core.registry.EndpointId;
import io.wharf.core.registry.ServiceKey;
import io.wharf.lb.balance.BackendSet.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** A feed the test drives by hand, standing in for the registry's watch. */
public final class ManualFeed implements EndpointFeed {
    private final Map<ServiceKey, Listener> listeners = new ConcurrentHashMap<>();
    private final Map<ServiceKey, List<Member>> current = new ConcurrentHashMap<>();
    private final AtomicLong revision = new AtomicLong();

    @Override
    public AutoCloseable follow(ServiceKey service, Listener listener) {
        listeners.put(service, listener);
        List<Member> now = current.get(service);
        if (now != null) listener.update(revision.get(), now);
        return () -> listeners.remove(service, listener);
    }

    /** Publishes the service's endpoints; returns once the load balancer has applied them. */
    public long set(ServiceKey service, List<Member> endpoints) {
        long r = revision.incrementAndGet();
        current.put(service, List.copyOf(endpoints));
        Listener l = listeners.get(service);
        if (l != null) l.update(r, List.copyOf(endpoints));
        return r;
    }

    public static Member up(EndpointId id) {
        return new Member(id, EndpointState.UP, 1);
    }

    public static Member up(EndpointId id, int weight) {
        return new Member(id, EndpointState.UP, weight);
    }

    public static Member draining(EndpointId id) {
        return new Member(id, EndpointState.DRAINING, 1);
    }

    public static List<Member> up(List<EndpointId> ids) {
        List<Member> out = new ArrayList<>();
        ids.forEach(id -> out.add(up(id)));
        return out;
    }
}
