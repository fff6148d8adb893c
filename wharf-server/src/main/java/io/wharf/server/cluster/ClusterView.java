package io.wharf.server.cluster;

import io.wharf.client.wire.ContainerReport;
import io.wharf.client.wire.Desired;
import io.wharf.client.wire.RegisteredBy;
import io.wharf.client.wire.Served;
import io.wharf.core.cluster.ContainerRecord;
import io.wharf.core.registry.ServiceKey;
import io.wharf.core.spec.ImageRef;
import io.wharf.core.spec.ServiceSpec;
import io.wharf.server.clients.Clients;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of what long operations read, taken once per pass of the operation engine: for each
 * service asked about, its spec and count, its containers with what their agents last said, its endpoints in
 * the registry and the revisions at which gone ones left, its watchers' acknowledgements, and what every load
 * balancer reports of it; and the hosts and the images. Steps are pure functions of it.
 *
 * @param now the time of the snapshot
 * @param services the services asked about
 * @param hosts every host, by name
 * @param images every pushed version of each image name, in the order they were pushed
 * @param clients the SDK instances of the services' namespaces that reported lately, and since when the server
 *     has been taking reports
 */
public record ClusterView(
        Instant now,
        Map<ServiceKey, ServiceView> services,
        Map<String, HostView> hosts,
        Map<String, List<String>> images,
        ClientsView clients) {
    public ClusterView {
        services = Map.copyOf(services);
        hosts = Map.copyOf(hosts);
        images = Map.copyOf(images);
    }

    /** A view without SDK instances. */
    public ClusterView(
            Instant now,
            Map<ServiceKey, ServiceView> services,
            Map<String, HostView> hosts,
            Map<String, List<String>> images) {
        this(now, services, hosts, images, new ClientsView(Instant.EPOCH, List.of()));
    }

    /** This view with {@code clients} in it. */
    public ClusterView withClients(ClientsView clients) {
        return new ClusterView(now, services, hosts, images, clients);
    }

    /**
     * SDK instances' last reports.
     *
     * @param since when the server began taking reports: shortly after, an instance that is running may not
     *     have reported yet
     * @param seen the instances, each once
     */
    public record ClientsView(Instant since, List<Clients.Seen> seen) {
        public ClientsView {
            seen = List.copyOf(seen);
        }
    }

    /** A service asked about; one with nothing known is empty, not missing. */
    public ServiceView service(ServiceKey key) {
        ServiceView s = services.get(key);
        if (s == null) {
            throw new IllegalArgumentException("service " + key + " was not asked about in this view");
        }
        return s;
    }

    /** Whether {@code image} has been pushed. */
    public boolean hasImage(ImageRef image) {
        return images.getOrDefault(image.name(), List.of()).contains(image.version());
    }

    /** The pushed versions of an image name, in the order they were pushed. */
    public List<String> versions(String imageName) {
        return images.getOrDefault(imageName, List.of());
    }

    /** A host: whether its agent is in contact, since when, and its lease. */
    public record HostView(String id, boolean ready, Instant readySince, Optional<String> lease) {}

    /**
     * One service.
     *
     * @param spec its spec, if it has one
     * @param replicas how many containers it should run (a controller's scale, else its spec's)
     * @param containers its container rows, running or stopping, by ordinal
     * @param registered its endpoints in the registry, by id
     * @param removedAt for endpoints that are gone, the registry revision at which they left
     * @param registryStart the revision the registry started at; an endpoint gone since before is gone at it
     * @param watchers its watchers
     * @param loadBalancers what each load balancer that serves it reports
     */
    public record ServiceView(
            ServiceKey key,
            Optional<ServiceSpec> spec,
            int replicas,
            List<ContainerView> containers,
            Map<String, RegisteredView> registered,
            Map<String, Long> removedAt,
            long registryStart,
            List<WatcherView> watchers,
            List<LbView> loadBalancers) {
        public ServiceView {
            containers = List.copyOf(containers);
            registered = Map.copyOf(registered);
            removedAt = Map.copyOf(removedAt);
            watchers = List.copyOf(watchers);
            loadBalancers = List.copyOf(loadBalancers);
        }

        public Optional<ContainerView> container(String id) {
            return containers.stream().filter(c -> c.row().id().equals(id)).findFirst();
        }

        /** Its containers that should run, by ordinal. */
        public List<ContainerView> running() {
            return containers.stream()
                    .filter(c -> c.row().desired() == Desired.RUNNING)
                    .toList();
        }

        /** The highest ordinal any of its rows has, running or stopping; -1 if none. */
        public int highestOrdinal() {
            return containers.stream().mapToInt(c -> c.row().ordinal()).max().orElse(-1);
        }

        /** Whether {@code endpoint} is in the registry. */
        public boolean isRegistered(String endpoint) {
            return registered.containsKey(endpoint);
        }

        /** The revision at which {@code endpoint} left the registry; 0 while it is in it. */
        public long removedAt(String endpoint) {
            if (registered.containsKey(endpoint)) return 0;
            return removedAt.getOrDefault(endpoint, registryStart);
        }
    }

    /**
     * A container row and what its agent last said of it.
     *
     * @param hostReady whether its host's agent is in contact; what it said is stale if not
     * @param hostReadySince since when it has been; time before does not count against the container
     * @param reportedAt when its agent last reported, if it has since this server started
     */
    public record ContainerView(
            ContainerRecord row,
            Optional<ContainerReport> observed,
            boolean hostReady,
            Instant hostReadySince,
            Optional<Instant> reportedAt) {
        public ContainerView(
                ContainerRecord row, Optional<ContainerReport> observed, boolean hostReady, Instant hostReadySince) {
            this(row, observed, hostReady, hostReadySince, Optional.empty());
        }

        /** Whether its agent reports it running {@code image} and passing its health checks. */
        public boolean serving(ImageRef image) {
            return hostReady
                    && observed.isPresent()
                    && observed.get().healthy()
                    && observed.get().image().equals(image.toString());
        }
    }

    /** An endpoint in the registry: the revision it was registered at, its version and who registered it. */
    public record RegisteredView(String endpoint, long revision, String version, RegisteredBy by) {}

    /**
     * A watcher of the service.
     *
     * @param awaited whether drains wait for its acknowledgement
     */
    public record WatcherView(String id, long acknowledged, boolean connected, boolean awaited) {}

    /**
     * What one host's load balancer reports of the service.
     *
     * @param hostReady whether its host's agent (and so the load balancer) is in contact
     * @param revision the registry revision it has applied
     * @param inFlight in flight per endpoint
     * @param served served per endpoint since it joined
     * @param reportedAt when its agent sent this report
     */
    public record LbView(
            String host,
            boolean hostReady,
            long revision,
            Map<String, Integer> inFlight,
            Map<String, Served> served,
            Instant reportedAt) {
        public LbView {
            inFlight = Map.copyOf(inFlight);
            served = Map.copyOf(served);
        }

        public LbView(
                String host,
                boolean hostReady,
                long revision,
                Map<String, Integer> inFlight,
                Map<String, Served> served) {
            this(host, hostReady, revision, inFlight, served, Instant.EPOCH);
        }
    }
}
