package io.wharf.server.scaleout;

import static java.util.Objects.requireNonNull;

import io.wharf.client.wire.ScaleOutContainerStatus;
import io.wharf.client.wire.ScaleOutServiceStatus;
import io.wharf.core.registry.ServiceKey;
import java.time.Instant;
import java.util.List;

/**
 * A scale-out task's whole state (claims 000.1, 000.4): the groups it was created for, one row per service of
 * them and one per container it creates, each with its status and reason.
 */
public record ScaleOutState(
        String id, List<String> groups, Instant createdAt, List<ServiceRow> services, List<ContainerRow> containers) {
    public ScaleOutState {
        requireNonNull(id, "id");
        groups = List.copyOf(groups);
        services = List.copyOf(services);
        containers = List.copyOf(containers);
    }

    ScaleOutState with(List<ServiceRow> nextServices, List<ContainerRow> nextContainers) {
        return new ScaleOutState(id, groups, createdAt, nextServices, nextContainers);
    }

    /** The container rows of one service. */
    List<ContainerRow> of(ServiceKey service) {
        return containers.stream().filter(c -> c.key().equals(service)).toList();
    }

    /**
     * One service of the task (claim 000.2).
     *
     * @param nodes how many containers it had when the task came to it; the task creates as many
     * @param targetVersion the version its new containers run (claim 000.5); empty until chosen
     */
    public record ServiceRow(
            String namespace,
            String service,
            ScaleOutServiceStatus status,
            int nodes,
            String targetVersion,
            String reason,
            Instant createdAt,
            Instant updatedAt) {
        public ServiceKey key() {
            return new ServiceKey(namespace, service);
        }

        boolean ended() {
            return status == ScaleOutServiceStatus.DONE || status == ScaleOutServiceStatus.SKIPPED;
        }

        ServiceRow with(ScaleOutServiceStatus s, int n, String version, String why, Instant at) {
            return new ServiceRow(namespace, service, s, n, version, why, createdAt, at);
        }
    }

    /** One container the task creates (claims 000.3, 000.4), named before it exists so it is made once. */
    public record ContainerRow(
            String id,
            String namespace,
            String service,
            int ordinal,
            ScaleOutContainerStatus status,
            String reason,
            Instant createdAt,
            Instant updatedAt) {
        public ServiceKey key() {
            return new ServiceKey(namespace, service);
        }

        ContainerRow with(ScaleOutContainerStatus s, String why, Instant at) {
            return new ContainerRow(id, namespace, service, ordinal, s, why, createdAt, at);
        }
    }
}
