package io.wharf.store;

import io.wharf.core.ConflictException;
import java.util.List;
import java.util.Optional;

/**
 * The operations table: one row per long operation, written with optimistic versions, and the scale-out task
 * tables of claim 000.4, kept as a projection of the scale-out operations.
 */
public interface OperationStore {
    /**
     * Adds an operation (version 1).
     *
     * @throws ConflictException if its id is taken
     */
    void insert(OperationRecord operation);

    /**
     * Writes {@code next} over the stored row if that row is at {@code next.version() - 1}.
     *
     * @return false if the row is at another version (someone else wrote it) or is gone
     */
    boolean update(OperationRecord next);

    Optional<OperationRecord> get(String id);

    /** The operations still running, oldest first: the only rows a restarted engine reads. */
    List<OperationRecord> running();

    /** Every operation of {@code kind}, newest first. */
    List<OperationRecord> list(String kind);

    /**
     * Writes a scale-out task's rows as they are now, adding those that are new, in one transaction (claim
     * 000.4's task table).
     */
    void projectScaleTask(
            ScaleTaskRecord task,
            List<ScaleTaskRecord.ServiceRow> services,
            List<ScaleTaskRecord.ContainerRow> containers);

    Optional<ScaleTaskRecord> scaleTask(String id);

    /** A task's service rows, by service. */
    List<ScaleTaskRecord.ServiceRow> scaleTaskServices(String taskId);

    /** A task's container rows, by service and ordinal. */
    List<ScaleTaskRecord.ContainerRow> scaleTaskContainers(String taskId);
}
