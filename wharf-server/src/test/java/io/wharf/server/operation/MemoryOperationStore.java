package io.wharf.server.operation;

import io.wharf.client.wire.OperationStatus;
import io.wharf.core.ConflictException;
import io.wharf.store.OperationRecord;
import io.wharf.store.OperationStore;
import io.wharf.store.ScaleTaskRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** An {@link OperationStore} in memory, with the same optimistic versions as the real one. */
public final class MemoryOperationStore implements OperationStore {
    private final Map<String, OperationRecord> rows = new ConcurrentHashMap<>();
    private final Map<String, ScaleTaskRecord> tasks = new ConcurrentHashMap<>();
    private final Map<String, List<ScaleTaskRecord.ServiceRow>> taskServices = new ConcurrentHashMap<>();
    private final Map<String, List<ScaleTaskRecord.ContainerRow>> taskContainers = new ConcurrentHashMap<>();
    /** Writes, in order, for tests that look at what was stored when. */
    public final List<OperationRecord> writes = new ArrayList<>();

    @Override
    public synchronized void insert(OperationRecord op) {
        if (rows.putIfAbsent(op.id(), op) != null) throw new ConflictException("operation " + op.id() + " exists");
        writes.add(op);
    }

    @Override
    public synchronized boolean update(OperationRecord next) {
        OperationRecord now = rows.get(next.id());
        if (now == null || now.version() != next.version() - 1) return false;
        rows.put(next.id(), next);
        writes.add(next);
        return true;
    }

    /** Puts a row as it is, as another writer (or a corrupting one) would. */
    public synchronized void put(OperationRecord op) {
        rows.put(op.id(), op);
    }

    @Override
    public Optional<OperationRecord> get(String id) {
        return Optional.ofNullable(rows.get(id));
    }

    @Override
    public List<OperationRecord> running() {
        return rows.values().stream()
                .filter(r -> r.status() == OperationStatus.RUNNING)
                .sorted(Comparator.comparing(OperationRecord::createdAt).thenComparing(OperationRecord::id))
                .toList();
    }

    @Override
    public List<OperationRecord> list(String kind) {
        return rows.values().stream()
                .filter(r -> r.kind().equals(kind))
                .sorted(Comparator.comparing(OperationRecord::createdAt).reversed())
                .toList();
    }

    @Override
    public synchronized void projectScaleTask(
            ScaleTaskRecord task,
            List<ScaleTaskRecord.ServiceRow> services,
            List<ScaleTaskRecord.ContainerRow> containers) {
        tasks.put(task.id(), task);
        List<ScaleTaskRecord.ServiceRow> s = taskServices.computeIfAbsent(task.id(), k -> new ArrayList<>());
        for (var row : services) {
            s.removeIf(r -> r.service().equals(row.service()));
            s.add(row);
        }
        List<ScaleTaskRecord.ContainerRow> c = taskContainers.computeIfAbsent(task.id(), k -> new ArrayList<>());
        for (var row : containers) {
            c.removeIf(r -> r.containerId().equals(row.containerId()));
            c.add(row);
        }
    }

    @Override
    public Optional<ScaleTaskRecord> scaleTask(String id) {
        return Optional.ofNullable(tasks.get(id));
    }

    @Override
    public List<ScaleTaskRecord.ServiceRow> scaleTaskServices(String taskId) {
        return List.copyOf(taskServices.getOrDefault(taskId, List.of()));
    }

    @Override
    public List<ScaleTaskRecord.ContainerRow> scaleTaskContainers(String taskId) {
        return List.copyOf(taskContainers.getOrDefault(taskId, List.of()));
    }
}
