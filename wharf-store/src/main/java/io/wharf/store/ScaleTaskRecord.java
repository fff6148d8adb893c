package io.wharf.store;

import static java.util.Objects.requireNonNull;

import io.wharf.core.registry.ServiceKey;
import java.time.Instant;
import java.util.List;

/**
 * A scale-out task (claims 000.1, 000.4): the groups it scales out and where it stands. Its services and
 * containers are rows of their own ({@link ServiceRow}, {@link ContainerRow}).
 *
 * @param id the task's id
 * @param groups the group labels it was created for
 * @param status where it stands
 * @param reason why it ended as it did; empty while it runs
 */
public record ScaleTaskRecord(
        String id, List<String> groups, Status status, String reason, Instant createdAt, Instant updatedAt) {
    public ScaleTaskRecord {
        requireNonNull(id, "id");
        groups = List.copyOf(groups);
        requireNonNull(status, "status");
        requireNonNull(reason, "reason");
    }

    /** Where a task stands. */
    public enum Status {
        RUNNING,
        COMPLETED,
        COMPLETED_WITH_SKIPS,
        FAILED;

        public boolean ended() {
            return this != RUNNING;
        }
    }

    public ScaleTaskRecord with(Status newStatus, String newReason, Instant at) {
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
            ServiceStatus status,
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

        public ServiceRow with(ServiceStatus newStatus, int newNodes, String version, String newReason, Instant at) {
            return new ServiceRow(taskId, service, newStatus, newNodes, version, newReason, createdAt, at);
        }
    }

    /** Where a service of a task stands. */
    public enum ServiceStatus {
        /** Not visited yet. */
        PENDING,
        /** Its new containers are written down and being created. */
        CREATING,
        /** All its new containers serve. */
        DONE,
        /** Its creation failed; the task went on without it (the reason says why). */
        SKIPPED
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
            ContainerStatus status,
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

        public ContainerRow with(ContainerStatus newStatus, String newReason, Instant at) {
            return new ContainerRow(taskId, containerId, service, ordinal, newStatus, newReason, createdAt, at);
        }
    }

    /** Where a container of a task stands. */
    public enum ContainerStatus {
        /** Written down, not yet in the container table. */
        PENDING,
        /** In the container table, on a host, starting. */
        PLACED,
        /** Healthy and registered. */
        SERVING,
        /** It could not be placed or did not come up (the reason says why). */
        FAILED
    }
}
