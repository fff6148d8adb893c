package io.wharf.server.api;

import io.wharf.client.wire.Assignment;
import io.wharf.client.wire.Assignments;
import io.wharf.client.wire.ContainerInfo;
import io.wharf.client.wire.ContainerReport;
import io.wharf.client.wire.ContainerState;
import io.wharf.client.wire.ContainerUsage;
import io.wharf.client.wire.HostInfo;
import io.wharf.client.wire.HostLoad;
import io.wharf.client.wire.HostStatus;
import io.wharf.client.wire.ImageInfo;
import io.wharf.client.wire.LbRoute;
import io.wharf.client.wire.ServiceLoad;
import io.wharf.client.wire.ServiceLoadInfo;
import io.wharf.client.wire.VolumeInfo;
import io.wharf.client.wire.VolumeMount;
import io.wharf.core.cluster.ContainerRecord;
import io.wharf.core.cluster.ImageRecord;
import io.wharf.core.cluster.VolumeRecord;
import io.wharf.core.registry.ServiceKey;
import io.wharf.server.cluster.Cluster;
import io.wharf.server.cluster.HostState;
import io.wharf.server.cluster.Hosts;
import io.wharf.server.registry.Registry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The cluster's answers — images, hosts, containers, assignments, load — as the wire model has them. */
final class ClusterViews {
    private final Cluster cluster;
    private final Registry registry;
    private final Clock clock;

    ClusterViews(Cluster cluster, Registry registry, Clock clock) {
        this.cluster = cluster;
        this.registry = registry;
        this.clock = clock;
    }

    static ImageInfo image(ImageRecord i) {
        return new ImageInfo(
                i.ref().toString(),
                i.ref().name(),
                i.ref().version(),
                i.digest(),
                i.sizeBytes(),
                i.filename(),
                i.cmd(),
                i.createdAt());
    }

    HostInfo host(HostState h) {
        var r = h.record();
        Instant now = clock.instant();
        return new HostInfo(
                r.id(),
                r.address(),
                r.ipPool(),
                r.cpuMillis(),
                r.memoryMb(),
                r.joinedAt(),
                h.ready(now, Hosts.LOST_AFTER) ? HostStatus.READY : HostStatus.LOST,
                h.lastSeen().map(t -> Duration.between(t, now).toMillis()).orElse(-1L),
                h.leaseId().orElse(""),
                h.usage().orElse(null),
                cluster.containers().onHost(r.id()).size(),
                h.loadBalancer().orElse(null),
                h.leaseId().map(registry::held).orElse(List.of()),
                r.runtime());
    }

    ContainerInfo container(ContainerRecord c) {
        return container(c, traffic());
    }

    /** Bytes per second every ready host's load balancer exchanged with each container IP lately, summed. */
    Map<String, HostState.NetRate> traffic() {
        Map<String, HostState.NetRate> sum = new HashMap<>();
        for (HostState lb : cluster.hosts().all()) {
            if (!cluster.hosts().ready(lb)) continue;
            lb.traffic()
                    .forEach((ip, t) ->
                            sum.merge(ip, t, (a, b) -> new HostState.NetRate(a.in() + b.in(), a.out() + b.out())));
        }
        return sum;
    }

    /** A container, its network use taken from {@code traffic} ({@link #traffic()}, made once for a list). */
    ContainerInfo container(ContainerRecord c, Map<String, HostState.NetRate> traffic) {
        Optional<HostState> host = cluster.hosts().get(c.hostId());
        Optional<ContainerReport> seen = host.flatMap(h -> h.observed(c.id()));
        HostState.NetRate net = traffic.getOrDefault(c.ip(), new HostState.NetRate(0, 0));
        Optional<ContainerUsage> usage = seen.flatMap(o -> host.flatMap(h -> h.rates(c.id()))
                .map(r -> new ContainerUsage(
                        r.cpuCores(), o.rssBytes(), o.diskBytes(), r.diskRead(), r.diskWrite(), net.in(), net.out())));
        return new ContainerInfo(
                c.id(),
                c.service().namespace(),
                c.service().service(),
                c.ordinal(),
                c.hostId(),
                c.image().toString(),
                c.ip(),
                c.port(),
                c.endpoint().toString(),
                c.desired(),
                c.registration(),
                seen.map(ContainerReport::state).orElse(ContainerState.UNKNOWN),
                seen.orElse(null),
                usage.orElse(null),
                c.createdAt(),
                c.updatedAt());
    }

    /** A volume, with its use as its agent last reported it and whether a container of its ordinal is placed. */
    VolumeInfo volume(VolumeRecord v) {
        boolean placed = cluster.containers()
                .get(ContainerRecord.idOf(v.service(), v.ordinal()))
                .isPresent();
        return new VolumeInfo(
                v.service().namespace(),
                v.service().service(),
                v.ordinal(),
                v.service().service() + "-" + v.ordinal(),
                v.name(),
                v.hostId(),
                v.ip(),
                v.sizeBytes(),
                cluster.volumes().used(v).orElse(-1L),
                v.deleting() ? "deleting" : placed ? "in-use" : "kept",
                v.createdAt());
    }

    /** Everything the agent of a host needs to run its containers and its load balancer. */
    Assignments assignments(Cluster.Assignments a) {
        List<Assignment> list = new ArrayList<>();
        Map<ServiceKey, String> peers = new HashMap<>();
        for (ContainerRecord c : a.containers()) {
            var image = cluster.images().find(c.image());
            var spec = cluster.specs().get(c.service());
            if (image.isEmpty() || spec.isEmpty()) continue;
            var h = spec.get().health();
            String peersOf = spec.get().stateful()
                    ? peers.computeIfAbsent(c.service(), k -> cluster.containers().running(k).stream()
                            .map(o -> o.ordinal() + "=" + o.ip() + ":" + o.port())
                            .collect(Collectors.joining(",")))
                    : "";
            list.add(new Assignment(
                    c.id(),
                    c.service().namespace(),
                    c.service().service(),
                    c.ordinal(),
                    c.image().toString(),
                    c.image().version(),
                    image.get().digest(),
                    image.get().filename(),
                    image.get().cmd(),
                    c.ip(),
                    c.port(),
                    c.desired(),
                    c.registration(),
                    spec.get().env(),
                    h.path().orElse(null),
                    h.command().orElse(null),
                    h.interval().toMillis(),
                    h.timeout().toMillis(),
                    h.attempts(),
                    Math.round(spec.get().cpu() * 1000),
                    spec.get().memoryMb(),
                    spec.get().volumes().stream()
                            .map(v -> new VolumeMount(v.name(), v.path(), v.sizeBytes()))
                            .toList(),
                    peersOf,
                    spec.get().hostNetwork()));
        }
        List<LbRoute> routes = a.routes().stream()
                .map(r -> new LbRoute(
                        r.service().namespace(),
                        r.service().service(),
                        r.protocol(),
                        r.external(),
                        r.port(),
                        r.contextPath(),
                        r.rule(),
                        r.hashHeader().orElse(null),
                        r.slowStart().toMillis()))
                .toList();
        return new Assignments(a.revision(), a.leaseId(), list, routes, a.deleteVolumes());
    }

    /** What every host's load balancer reports of a service: revision applied, in flight, served. */
    ServiceLoadInfo load(ServiceKey key) {
        List<HostLoad> out = new ArrayList<>();
        for (HostState h : cluster.hosts().all()) {
            h.loadBalancer().ifPresent(lb -> {
                for (ServiceLoad s : lb.services()) {
                    if (s.namespace().equals(key.namespace()) && s.service().equals(key.service())) {
                        out.add(new HostLoad(h.record().id(), lb.address(), s.revision(), s.inFlight(), s.served()));
                    }
                }
            });
        }
        out.sort(Comparator.comparing(HostLoad::host));
        return new ServiceLoadInfo(key.namespace(), key.service(), out);
    }
}
