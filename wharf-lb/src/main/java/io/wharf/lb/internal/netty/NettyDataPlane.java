package io.wharf.lb.internal.netty;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.MeterRegistry;
import io.wharf.client.wire.Protocol;
import io.wharf.core.registry.ServiceKey;
import io.wharf.lb.DataPlane;
import io.wharf.lb.LbSettings;
import io.wharf.lb.Route;
import io.wharf.lb.ServiceLoad;
import io.wharf.lb.Traffic;
import io.wharf.lb.balance.BackendSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The built-in {@link DataPlane}: the Netty {@link Proxy} and a {@link ServiceTarget} per routed service. */
public final class NettyDataPlane implements DataPlane {
    private static final Logger log = LoggerFactory.getLogger(NettyDataPlane.class);

    private final Proxy proxy;
    private final MeterRegistry meters;
    private final Map<ServiceKey, ServiceTarget> targets = new ConcurrentHashMap<>();
    private volatile Runnable changed = () -> {};

    public NettyDataPlane(LbSettings settings, MeterRegistry meters) {
        this.proxy = new Proxy(requireNonNull(settings, "settings"));
        this.meters = requireNonNull(meters, "meters");
    }

    @Override
    public synchronized Map<Integer, String> serve(List<Route> routes) {
        Map<ServiceKey, Route> firstOf = new LinkedHashMap<>();
        routes.forEach(r -> firstOf.putIfAbsent(r.service(), r));
        for (ServiceKey gone : new ArrayList<>(targets.keySet())) {
            if (!firstOf.containsKey(gone)) {
                targets.remove(gone).close();
            }
        }
        Map<Integer, List<Binding>> byPort = new TreeMap<>();
        for (Route r : routes) {
            Route first = firstOf.get(r.service());
            ServiceTarget t = targets.computeIfAbsent(r.service(), k -> {
                log.info("load balancer routing {} ({})", k, first.rule());
                return new ServiceTarget(k, first.rule(), meters, () -> changed.run());
            });
            t.backends().rule(first.rule());
            t.backends().slowStart(first.slowStart());
            byPort.computeIfAbsent(r.externalPort(), p -> new ArrayList<>()).add(new Binding(r, t));
        }
        return proxy.listen(byPort);
    }

    @Override
    public void update(ServiceKey service, long revision, List<BackendSet.Member> endpoints) {
        ServiceTarget t = targets.get(service);
        if (t != null) t.update(revision, endpoints);
    }

    @Override
    public Map<Integer, Protocol> ports() {
        return proxy.ports();
    }

    @Override
    public List<ServiceLoad> load() {
        return targets.values().stream()
                .map(t -> new ServiceLoad(
                        t.key(),
                        t.backends().rule(),
                        t.backends().slowStart(),
                        t.revision(),
                        t.backends().inFlight(),
                        t.served()))
                .sorted(Comparator.comparing(l -> l.service().toString()))
                .toList();
    }

    @Override
    public Map<String, Traffic> traffic() {
        return proxy.traffic();
    }

    /** The target of a routed service, for tests that look inside. */
    public Optional<ServiceTarget> target(ServiceKey key) {
        return Optional.ofNullable(targets.get(key));
    }

    @Override
    public void onChange(Runnable listener) {
        changed = requireNonNull(listener, "listener");
    }

    @Override
    public synchronized void close() {
        targets.values().forEach(ServiceTarget::close);
        targets.clear();
        proxy.close();
    }
}
