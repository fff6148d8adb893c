package io.wharf.lb;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.MeterRegistry;
import io.wharf.client.wire.Protocol;
import io.wharf.core.registry.ServiceKey;
import io.wharf.lb.internal.netty.NettyDataPlane;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host's load balancer (claims 004.5, 004.6): serves each route it is given through its {@link DataPlane},
 * and follows the endpoints of each routed service through an {@link EndpointFeed}, so changes take effect as
 * the registry pushes them, with no restart and no request lost. The feed acknowledges a revision once the
 * data plane has applied it.
 */
public final class LoadBalancer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LoadBalancer.class);

    private final DataPlane plane;
    private final EndpointFeed feed;
    private final Map<ServiceKey, AutoCloseable> following = new HashMap<>();
    private List<Route> routes = List.of();
    private Map<Integer, String> problems = Map.of();

    public LoadBalancer(DataPlane plane, EndpointFeed feed) {
        this.plane = requireNonNull(plane, "plane");
        this.feed = requireNonNull(feed, "feed");
    }

    /** A load balancer on the built-in data plane, with its meters in {@code meters}. */
    public static LoadBalancer builtIn(LbSettings settings, EndpointFeed feed, MeterRegistry meters) {
        return new LoadBalancer(new NettyDataPlane(settings, meters), feed);
    }

    /**
     * Serves exactly {@code next}: starts following services that gained a route, stops following those
     * that lost their last one, and makes the listeners match.
     *
     * @return external ports that could not be served, with the reason (also logged)
     */
    public synchronized Map<Integer, String> apply(List<Route> next) {
        Map<ServiceKey, Route> firstOf = new LinkedHashMap<>();
        next.forEach(r -> firstOf.putIfAbsent(r.service(), r));
        for (ServiceKey gone : new ArrayList<>(following.keySet())) {
            if (!firstOf.containsKey(gone)) {
                close(gone, following.remove(gone));
            }
        }
        problems = Map.copyOf(plane.serve(next));
        for (ServiceKey key : firstOf.keySet()) {
            following.computeIfAbsent(key, k -> {
                log.info("load balancer following {}", k);
                return feed.follow(k, (revision, endpoints) -> plane.update(k, revision, endpoints));
            });
        }
        routes = List.copyOf(next);
        return problems;
    }

    private static void close(ServiceKey key, AutoCloseable subscription) {
        try {
            subscription.close();
        } catch (Exception e) {
            log.debug("closing the feed of {}", key, e);
        }
    }

    /** Runs {@code listener} whenever what {@link #load()} reports changes in a way a release waits for. */
    public void onChange(Runnable listener) {
        plane.onChange(listener);
    }

    /** The routes it serves. */
    public synchronized List<Route> routes() {
        return routes;
    }

    /** Ports of the last {@link #apply} that could not be served, with the reason. */
    public synchronized Map<Integer, String> problems() {
        return problems;
    }

    /** The ports it listens on. */
    public Map<Integer, Protocol> ports() {
        return plane.ports();
    }

    /** Per routed service: the revision applied, and requests (or connections) in flight and served per endpoint. */
    public List<ServiceLoad> load() {
        return plane.load();
    }

    /** The bytes it has exchanged with each endpoint IP since it started, by IP. */
    public Map<String, Traffic> traffic() {
        return plane.traffic();
    }

    /** Its data plane. */
    public DataPlane plane() {
        return plane;
    }

    @Override
    public synchronized void close() {
        following.forEach(LoadBalancer::close);
        following.clear();
        plane.close();
    }
}
