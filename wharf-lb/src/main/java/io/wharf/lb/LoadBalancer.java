package io.wharf.lb;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.MeterRegistry;
import io.wharf.client.wire.Protocol;
import io.wharf.core.registry.EndpointId;
import io.wharf.core.registry.ServiceKey;
import io.wharf.lb.balance.Rule;
import io.wharf.lb.proxy.Binding;
import io.wharf.lb.proxy.Proxy;
import io.wharf.lb.proxy.ServiceTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host's load balancer (claims 004.5, 004.6): serves each route it is given on the route's external
 * port, and follows the endpoints of each routed service through an {@link EndpointFeed}, so changes take
 * effect as the registry pushes them, with no restart and no request lost.
 */
public final class LoadBalancer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LoadBalancer.class);

    private final Proxy proxy;
    private final EndpointFeed feed;
    private final MeterRegistry meters;
    private final Map<ServiceKey, Followed> services = new HashMap<>();
    private List<Route> routes = List.of();
    private Map<Integer, String> problems = Map.of();
    private volatile Runnable changed = () -> {};

    private record Followed(ServiceTarget target, AutoCloseable subscription) {}

    public LoadBalancer(LbSettings settings, EndpointFeed feed, MeterRegistry meters) {
        this.proxy = new Proxy(requireNonNull(settings, "settings"));
        this.feed = requireNonNull(feed, "feed");
        this.meters = requireNonNull(meters, "meters");
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
        for (ServiceKey gone : new ArrayList<>(services.keySet())) {
            if (!firstOf.containsKey(gone)) {
                Followed f = services.remove(gone);
                close(f);
            }
        }
        Map<Integer, List<Binding>> byPort = new TreeMap<>();
        for (Route r : next) {
            Followed f = services.computeIfAbsent(r.service(), k -> follow(k, firstOf.get(k)));
            Route first = firstOf.get(r.service());
            f.target().backends().rule(first.rule());
            f.target().backends().slowStart(first.slowStart());
            byPort.computeIfAbsent(r.externalPort(), p -> new ArrayList<>()).add(new Binding(r, f.target()));
        }
        problems = Map.copyOf(proxy.listen(byPort));
        routes = List.copyOf(next);
        return problems;
    }

    private Followed follow(ServiceKey key, Route route) {
        ServiceTarget target = new ServiceTarget(key, route.rule(), meters, () -> changed.run());
        AutoCloseable sub = feed.follow(key, target::update);
        log.info("load balancer following {} ({})", key, route.rule());
        return new Followed(target, sub);
    }

    private static void close(Followed f) {
        try {
            f.subscription().close();
        } catch (Exception e) {
            log.debug("closing the feed of {}", f.target().key(), e);
        }
        f.target().close();
    }

    /**
     * Runs {@code listener} whenever what {@link #load()} reports changes in a way a release waits for: a
     * registry revision applied, or an endpoint that has left finishing its last request. It runs on the
     * thread that made the change (an event loop, or the feed's), so it must only hand off.
     */
    public void onChange(Runnable listener) {
        changed = requireNonNull(listener, "listener");
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
        return proxy.ports();
    }

    /**
     * What it knows of a routed service: how it balances it, the registry revision it has applied, what is in
     * flight, and what each endpoint has served.
     */
    public record ServiceLoad(
            ServiceKey service,
            Rule rule,
            Duration slowStart,
            long revision,
            Map<EndpointId, Integer> inFlight,
            Map<EndpointId, ServiceTarget.Served> served) {}

    /** Per routed service: the revision applied, and requests (or connections) in flight and served per endpoint. */
    public synchronized List<ServiceLoad> load() {
        return services.values().stream()
                .map(f -> new ServiceLoad(
                        f.target().key(),
                        f.target().backends().rule(),
                        f.target().backends().slowStart(),
                        f.target().revision(),
                        f.target().backends().inFlight(),
                        f.target().served()))
                .sorted(Comparator.comparing(l -> l.service().toString()))
                .toList();
    }

    /** The target of a routed service. */
    public synchronized Optional<ServiceTarget> target(ServiceKey key) {
        return Optional.ofNullable(services.get(key)).map(Followed::target);
    }

    @Override
    public synchronized void close() {
        services.values().forEach(LoadBalancer::close);
        services.clear();
        proxy.close();
    }
}
