package io.wharf.server.scaleout;

import io.wharf.client.wire.OperationStatus;
import io.wharf.server.operation.SaveListener;
import io.wharf.store.OperationRecord;
import io.wharf.store.OperationStore;
import io.wharf.store.ScaleTaskRecord;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the task table of claim 000.4 — a task, a row per service, a row per container, each with its status
 * — as a projection of the scale-out operations, written after each of their steps.
 */
public final class ScaleOutProjection implements SaveListener<ScaleOutState> {
    private final OperationStore store;
    /** What was last written of each running task, so that only changed rows are written again. */
    private final Map<String, ScaleOutState> written = new ConcurrentHashMap<>();

    public ScaleOutProjection(OperationStore store) {
        this.store = store;
    }

    @Override
    public void saved(OperationRecord record, ScaleOutState state) {
        ScaleOutState before = written.get(record.id());
        Set<ScaleOutState.ServiceRow> oldServices = before == null ? Set.of() : Set.copyOf(before.services());
        Set<ScaleOutState.ContainerRow> oldContainers = before == null ? Set.of() : Set.copyOf(before.containers());
        store.projectScaleTask(
                new ScaleTaskRecord(
                        record.id(),
                        state.groups(),
                        ScaleOutPlan.status(record.status(), state),
                        record.reason(),
                        record.createdAt(),
                        record.updatedAt()),
                state.services().stream()
                        .filter(s -> !oldServices.contains(s))
                        .map(s -> new ScaleTaskRecord.ServiceRow(
                                record.id(),
                                s.key(),
                                s.status(),
                                s.nodes(),
                                s.targetVersion(),
                                s.reason(),
                                s.createdAt(),
                                s.updatedAt()))
                        .toList(),
                state.containers().stream()
                        .filter(c -> !oldContainers.contains(c))
                        .map(c -> new ScaleTaskRecord.ContainerRow(
                                record.id(),
                                c.id(),
                                c.key(),
                                c.ordinal(),
                                c.status(),
                                c.reason(),
                                c.createdAt(),
                                c.updatedAt()))
                        .toList());
        if (record.status() == OperationStatus.RUNNING) {
            written.put(record.id(), state);
        } else {
            written.remove(record.id());
        }
    }
}
