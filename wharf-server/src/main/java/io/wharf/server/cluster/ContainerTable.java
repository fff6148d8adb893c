package io.wharf.server.cluster;

import io.wharf.client.wire.Desired;
import io.wharf.core.cluster.ContainerRecord;
import io.wharf.core.registry.EndpointId;
import io.wharf.core.registry.ServiceKey;
import io.wharf.store.ClusterStore;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The container (monitoring) table of claim 000.6: every container the platform runs, where, and what it
 * should be. Reads are lock-free; every change goes through {@link #change} or {@link #compute}, under the
 * table's one lock, so a plan made from the rows is applied to the same rows. A change is in the store before
 * it is visible, and raises the assignments revision of the container's host.
 */
public final class ContainerTable {
    private static final Comparator<ContainerRecord> BY_SERVICE_AND_ORDINAL = Comparator.comparing(
                    (ContainerRecord c) -> c.service().toString())
            .thenComparingInt(ContainerRecord::ordinal);

    private final ClusterStore store;
    private final AssignmentRevisions revisions;
    private final Map<String, ContainerRecord> rows = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Writer writer = new Writer();

    public ContainerTable(ClusterStore store, AssignmentRevisions revisions) {
        this.store = store;
        this.revisions = revisions;
        store.containers().forEach(c -> rows.put(c.id(), c));
    }

    /** Applies {@code change} under the table's lock. */
    public void change(Consumer<Writer> change) {
        compute(w -> {
            change.accept(w);
            return null;
        });
    }

    /** Applies {@code change} under the table's lock and returns what it returns. */
    public <T> T compute(Function<Writer, T> change) {
        lock.lock();
        try {
            return change.apply(writer);
        } finally {
            lock.unlock();
        }
    }

    /** The only way rows change; handed out under the lock. */
    public final class Writer {
        private Writer() {}

        /** Every row, as the change sees them. */
        public Collection<ContainerRecord> rows() {
            return rows.values();
        }

        /** Adds a row; a conflict if its id or its address on its host is taken. */
        public void insert(ContainerRecord c) {
            store.insertContainer(c);
            rows.put(c.id(), c);
            revisions.bump(c.hostId());
        }

        /** Replaces a row (same id). */
        public void update(ContainerRecord c) {
            store.updateContainer(c);
            rows.put(c.id(), c);
            revisions.bump(c.hostId());
        }

        /** Removes a row. */
        public void delete(ContainerRecord c) {
            store.deleteContainer(c.id());
            rows.remove(c.id());
            revisions.bump(c.hostId());
        }
    }

    public Optional<ContainerRecord> get(String id) {
        return Optional.ofNullable(rows.get(id));
    }

    /** The container whose address is {@code endpoint}, if one's is (pools do not overlap: one at most). */
    public Optional<ContainerRecord> byEndpoint(EndpointId endpoint) {
        return rows.values().stream()
                .filter(c -> c.port() == endpoint.port() && c.ip().equals(endpoint.ip()))
                .findFirst();
    }

    /** Every row, by service and ordinal. */
    public List<ContainerRecord> all() {
        return rows.values().stream().sorted(BY_SERVICE_AND_ORDINAL).toList();
    }

    /** The rows of a service, running or stopping, by ordinal. */
    public List<ContainerRecord> of(ServiceKey key) {
        return rows.values().stream()
                .filter(c -> c.service().equals(key))
                .sorted(BY_SERVICE_AND_ORDINAL)
                .toList();
    }

    /** The rows of a service that should run, by ordinal. */
    public List<ContainerRecord> running(ServiceKey key) {
        return of(key).stream().filter(c -> c.desired() == Desired.RUNNING).toList();
    }

    /** The rows placed on a host, by id. */
    public List<ContainerRecord> onHost(String hostId) {
        return rows.values().stream()
                .filter(c -> c.hostId().equals(hostId))
                .sorted(Comparator.comparing(ContainerRecord::id))
                .toList();
    }
}
