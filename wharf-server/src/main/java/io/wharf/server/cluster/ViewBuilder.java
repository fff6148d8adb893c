package io.wharf.server.cluster;

import io.wharf.client.wire.LoadBalancerReport;
import io.wharf.client.wire.ServiceLoad;
import io.wharf.core.NotFoundException;
import io.wharf.core.cluster.ContainerRecord;
import io.wharf.core.cluster.ImageRecord;
import io.wharf.core.registry.ServiceKey;
import io.wharf.server.registry.RegisteredEndpoint;
import io.wharf.server.registry.Registry;
import io.wharf.server.registry.WatcherStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Takes {@link ClusterView}s: copies what operations read out of the live parts. */
final class ViewBuilder {
    private final Specs specs;
    private final Hosts hosts;
    private final ContainerTable containers;
    private final Registry registry;
    private final Images images;
    private final Clock clock;

    ViewBuilder(Specs specs, Hosts hosts, ContainerTable containers, Registry registry, Images images, Clock clock) {
        this.specs = specs;
        this.hosts = hosts;
        this.containers = containers;
        this.registry = registry;
        this.images = images;
        this.clock = clock;
    }

    ClusterView build(Set<ServiceKey> services) {
        Instant now = clock.instant();
        Map<String, ClusterView.HostView> hostViews = new HashMap<>();
        for (HostState h : hosts.all()) {
            hostViews.put(
                    h.record().id(),
                    new ClusterView.HostView(
                            h.record().id(), h.ready(now, Hosts.LOST_AFTER), h.readySince(), h.leaseId()));
        }
        Map<ServiceKey, ClusterView.ServiceView> serviceViews = new HashMap<>();
        for (ServiceKey key : services) {
            serviceViews.put(key, service(key, hostViews));
        }
        Map<String, List<String>> versions = new LinkedHashMap<>();
        images.list().stream()
                .sorted((a, b) -> a.createdAt().compareTo(b.createdAt()))
                .map(ImageRecord::ref)
                .forEach(r -> versions.computeIfAbsent(r.name(), n -> new ArrayList<>())
                        .add(r.version()));
        return new ClusterView(now, serviceViews, hostViews, versions);
    }

    private ClusterView.ServiceView service(ServiceKey key, Map<String, ClusterView.HostView> hostViews) {
        List<ClusterView.ContainerView> rows = new ArrayList<>();
        for (ContainerRecord c : containers.of(key)) {
            Optional<HostState> host = hosts.get(c.hostId());
            ClusterView.HostView hv = hostViews.get(c.hostId());
            rows.add(new ClusterView.ContainerView(
                    c,
                    host.flatMap(h -> h.observed(c.id())),
                    hv != null && hv.ready(),
                    hv == null ? Instant.EPOCH : hv.readySince(),
                    host.filter(HostState::hasReported).flatMap(HostState::lastSeen)));
        }
        Map<String, ClusterView.RegisteredView> registered = new HashMap<>();
        Map<String, Long> removedAt = new HashMap<>();
        List<ClusterView.WatcherView> watchers = new ArrayList<>();
        try {
            for (RegisteredEndpoint r : registry.snapshot(key).endpoints()) {
                String id = r.endpoint().id().toString();
                registered.put(
                        id,
                        new ClusterView.RegisteredView(
                                id,
                                r.revision(),
                                r.endpoint().version(),
                                r.endpoint().registeredBy()));
            }
            registry.removals(key).forEach((id, revision) -> removedAt.put(id.toString(), revision));
            for (WatcherStatus w : registry.watchers().of(key)) {
                watchers.add(new ClusterView.WatcherView(w.id(), w.acknowledged(), w.connected(), w.acknowledges()));
            }
        } catch (NotFoundException noNamespace) {
            // a service of a namespace that is gone has nothing in the registry
        }
        List<ClusterView.LbView> lbs = new ArrayList<>();
        for (HostState h : hosts.all()) {
            Optional<LoadBalancerReport> lb = h.loadBalancer();
            if (lb.isEmpty()) continue;
            for (ServiceLoad s : lb.get().services()) {
                if (s.namespace().equals(key.namespace()) && s.service().equals(key.service())) {
                    lbs.add(new ClusterView.LbView(
                            h.record().id(),
                            hostViews.get(h.record().id()).ready(),
                            s.revision(),
                            s.inFlight(),
                            s.served(),
                            h.lastSeen().orElse(Instant.EPOCH)));
                }
            }
        }
        return new ClusterView.ServiceView(
                key,
                specs.get(key),
                specs.replicas(key),
                rows,
                registered,
                removedAt,
                registry.startRevision(),
                watchers,
                lbs);
    }
}
