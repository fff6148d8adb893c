package io.wharf.server.api;

import io.wharf.server.cluster.Cluster;
import io.wharf.server.cluster.Reports;
import io.wharf.store.ContainerRecord;
import io.wharf.store.ImageRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The JSON shapes of images, hosts, containers and assignments. */
final class ClusterViews {
    private ClusterViews() {}

    record ImageView(
            String image,
            String name,
            String version,
            String sha256,
            long sizeBytes,
            String filename,
            String cmd,
            Instant createdAt) {}

    static ImageView image(ImageRecord i) {
        return new ImageView(
                i.ref().toString(),
                i.ref().name(),
                i.ref().version(),
                i.digest(),
                i.sizeBytes(),
                i.filename(),
                i.cmd(),
                i.createdAt());
    }

    record HostJson(
            String id,
            String address,
            String ipPool,
            long cpuMillis,
            long memoryMb,
            Instant joinedAt,
            String state,
            long lastSeenMillisAgo,
            String lease,
            Optional<Reports.Usage> usage,
            int containers,
            Optional<Reports.LoadBalancer> loadBalancer) {}

    static HostJson host(Cluster.HostView h) {
        var r = h.record();
        return new HostJson(
                r.id(),
                r.address(),
                r.ipPool(),
                r.cpuMillis(),
                r.memoryMb(),
                r.joinedAt(),
                h.ready() ? "READY" : "LOST",
                h.lastSeenMillisAgo(),
                h.leaseId(),
                h.usage(),
                h.containers(),
                h.loadBalancer());
    }

    record ContainerJson(
            String id,
            String namespace,
            String service,
            int ordinal,
            String host,
            String image,
            String ip,
            int port,
            String endpoint,
            String desired,
            String registration,
            String state,
            Optional<Reports.Container> observed,
            Instant createdAt,
            Instant updatedAt) {}

    static ContainerJson container(Cluster.ContainerView v) {
        ContainerRecord c = v.record();
        return new ContainerJson(
                c.id(),
                c.service().namespace(),
                c.service().service(),
                c.ordinal(),
                c.hostId(),
                c.image().toString(),
                c.ip(),
                c.port(),
                c.endpoint().toString(),
                c.desired().name(),
                c.registration().name(),
                v.observed().map(Reports.Container::state).orElse("UNKNOWN"),
                v.observed(),
                c.createdAt(),
                c.updatedAt());
    }

    /** Everything an agent needs to run one container. */
    record AssignmentJson(
            String id,
            String namespace,
            String service,
            int ordinal,
            String image,
            String version,
            String sha256,
            String filename,
            String cmd,
            String ip,
            int port,
            String desired,
            String registration,
            Map<String, String> env,
            Optional<String> healthPath,
            long healthIntervalMillis,
            long healthTimeoutMillis,
            int healthAttempts,
            long cpuMillis,
            long memoryMb) {}

    /** One published port for the host's load balancer (claim 004.4). */
    record LbRouteJson(
            String namespace,
            String service,
            String protocol,
            int external,
            int port,
            String contextPath,
            String rule,
            Optional<String> hashHeader,
            long slowStartMillis) {}

    record AssignmentsJson(
            long revision, String lease, List<AssignmentJson> containers, List<LbRouteJson> loadBalancer) {}

    static AssignmentsJson assignments(Cluster cluster, Cluster.Assignments a) {
        List<AssignmentJson> list = a.containers().stream()
                .flatMap(c -> {
                    var image = cluster.images().find(c.image());
                    var spec = cluster.spec(c.service());
                    if (image.isEmpty() || spec.isEmpty()) {
                        return java.util.stream.Stream.empty();
                    }
                    var h = spec.get().health();
                    return java.util.stream.Stream.of(new AssignmentJson(
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
                            c.desired().name(),
                            c.registration().name(),
                            spec.get().env(),
                            h.path(),
                            h.interval().toMillis(),
                            h.timeout().toMillis(),
                            h.attempts(),
                            Math.round(spec.get().cpu() * 1000),
                            spec.get().memoryMb()));
                })
                .toList();
        List<LbRouteJson> routes = cluster.loadBalancerRoutes().stream()
                .map(r -> new LbRouteJson(
                        r.service().namespace(),
                        r.service().service(),
                        r.protocol().name(),
                        r.external(),
                        r.port(),
                        r.contextPath(),
                        r.rule(),
                        r.hashHeader(),
                        r.slowStart().toMillis()))
                .toList();
        return new AssignmentsJson(a.revision(), a.leaseId(), list, routes);
    }
}
