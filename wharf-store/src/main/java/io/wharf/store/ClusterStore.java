package io.wharf.store;

import io.wharf.core.ConflictException;
import io.wharf.core.registry.ServiceKey;
import io.wharf.core.spec.ImageRef;
import java.util.List;
import java.util.Optional;

/** The durable desired state of the cluster: images, service specs, hosts, containers and join tokens. */
public interface ClusterStore {
    /** Stores an image; conflict if {@code name:version} exists with another digest. */
    void putImage(ImageRecord image);

    Optional<ImageRecord> image(ImageRef ref);

    List<ImageRecord> images();

    /** Stores a spec document (JSON) for an existing service; returns its new generation. */
    long putSpec(ServiceKey key, String specJson);

    Optional<String> spec(ServiceKey key);

    /** Every service that has a spec. */
    List<ServiceKey> specs();

    /** Adds a host or updates its address, pool and capacity. */
    void putHost(HostRecord host);

    Optional<HostRecord> host(String id);

    List<HostRecord> hosts();

    /**
     * Adds a container row.
     *
     * @throws ConflictException if its id or its host's {@code ip, port} is taken
     */
    void insertContainer(ContainerRecord container);

    /** Replaces a container row (same id). */
    void updateContainer(ContainerRecord container);

    void deleteContainer(String id);

    Optional<ContainerRecord> container(String id);

    List<ContainerRecord> containers();

    /** Records a join token by its sha256 hash. */
    void addJoinToken(String tokenHash);

    boolean joinTokenExists(String tokenHash);

    // ---- scale-out tasks (claims 000.1, 000.4)

    /** Writes a new task with one row per service, in one transaction. */
    void insertScaleTask(ScaleTaskRecord task, List<ScaleTaskRecord.ServiceRow> services);

    /** Changes a task's status and reason. */
    void updateScaleTask(ScaleTaskRecord task);

    /**
     * Changes a service row and writes the container rows it adds, in one transaction: a task that knows
     * which containers it creates for a service has them written down before it creates any.
     */
    void updateScaleTaskService(ScaleTaskRecord.ServiceRow row, List<ScaleTaskRecord.ContainerRow> added);

    /** Changes a container row. */
    void updateScaleTaskContainer(ScaleTaskRecord.ContainerRow row);

    /** Every task, newest first. */
    List<ScaleTaskRecord> scaleTasks();

    Optional<ScaleTaskRecord> scaleTask(String id);

    /** A task's service rows, by service. */
    List<ScaleTaskRecord.ServiceRow> scaleTaskServices(String taskId);

    /** A task's container rows, by service and ordinal. */
    List<ScaleTaskRecord.ContainerRow> scaleTaskContainers(String taskId);

    // ---- releases (claims 001.1-001.10)

    /** Writes a release, creating or replacing it. */
    void putRelease(ReleaseRecord release);

    Optional<ReleaseRecord> release(String id);

    /** Every release, newest first. */
    List<ReleaseRecord> releases();
}
