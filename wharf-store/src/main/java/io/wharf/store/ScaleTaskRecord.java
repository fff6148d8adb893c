package io.wharf.store;

import static java.util.Objects.requireNonNull;

import io.wharf.client.wire.OperationStatus;
import io.wharf.client.wire.ScaleOutContainerStatus;
import io.wharf.client.wire.ScaleOutServiceStatus;
import io.wharf.core.registry.ServiceKey;
import java.time.Instant;
import java.util.List;

/**
 * A scale-out task (claims 000.1, 000.4) as its task table shows it: the groups it scales out and where it
 * stands, with its services and containers as rows of their own ({@link ServiceRow}, {@link ContainerRow}).
 * The table is a projection of the scale-out operation, written after each of its steps.
 *
 * @param id the task's id
 * @param groups the group labels it was created for
 * @param status where it stands
 * @param reason why it ended as it did; empty while it runs
 */
public record ScaleTaskRecord(
        String id, List<String> groups, OperationStatus status, String reason, Instant createdAt, Instant updatedAt) {
    public ScaleTaskRecord {
        requireNonNull(id, "id");
        groups = List.copyOf(groups);
        requireNonNull(status, "status");
        requireNonNull(reason, "reason");
    }

    public ScaleTaskRecord with(OperationStatus newStatus, String newReason, Instant at) {
        return new ScaleTaskRecord(id, groups, newStatus, newReason, createdAt, at);
    }

    /**
     * One service of a task (claim 000.2).
     *
     * @param nodes how many containers the service had when the task came to it; the task creates as many
     * @param targetVersion the version the new containers run (claim 000.5); empty until chosen
     */
    public record ServiceRow(
            String taskId,
            ServiceKey service,
            ScaleOutServiceStatus status,
            int nodes,
            String targetVersion,
            String reason,
            Instant createdAt,
            Instant updatedAt) {
        public ServiceRow {
            requireNonNull(taskId, "taskId");
            requireNonNull(service, "service");
            requireNonNull(status, "status");
            requireNonNull(targetVersion, "targetVersion");
            requireNonNull(reason, "reason");
        }

        public ServiceRow with(
                ScaleOutServiceStatus newStatus, int newNodes, String version, String newReason, Instant at) {
            return new ServiceRow(taskId, service, newStatus, newNodes, version, newReason, createdAt, at);
        }
    }

    /**
     * One container a task creates (claims 000.3, 000.4), named deterministically so it is never created
     * twice.
     */
    public record ContainerRow(
            String taskId,
            String containerId,
            ServiceKey service,
            int ordinal,
            ScaleOutContainerStatus status,
            String reason,
            Instant createdAt,
            Instant updatedAt) {
        public ContainerRow {
            requireNonNull(taskId, "taskId");
            requireNonNull(containerId, "containerId");
            requireNonNull(service, "service");
            requireNonNull(status, "status");
            requireNonNull(reason, "reason");
        }

        public ContainerRow with(ScaleOutContainerStatus newStatus, String newReason, Instant at) {
            return new ContainerRow(taskId, containerId, service, ordinal, newStatus, newReason, createdAt, at);
        }
    }
}
