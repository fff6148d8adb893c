package io.wharf.store;

import io.wharf.core.ConflictException;
import io.wharf.core.cluster.ContainerRecord;
import io.wharf.core.cluster.HostRecord;
import io.wharf.core.cluster.ImageRecord;
import io.wharf.core.cluster.VolumeRecord;
import io.wharf.core.registry.ServiceKey;
import io.wharf.core.spec.ImageRef;
import io.wharf.core.spec.Scale;
import java.util.List;
import java.util.Optional;

/**
 * The durable desired state of the cluster: images, service specs and their controller-owned scale, hosts and
 * containers.
 */
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

    /** Sets (or, with empty, clears) the controller-owned scale of a service that has a spec. */
    void putScale(ServiceKey key, Optional<Scale> scale);

    Optional<Scale> scale(ServiceKey key);

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

    /** Adds a volume or replaces the one with its service, ordinal and name. */
    void putVolume(VolumeRecord volume);

    void deleteVolume(ServiceKey service, int ordinal, String name);

    /** Every volume, by service, ordinal and name. */
    List<VolumeRecord> volumes();

    /** Removes a host; its container rows must be gone first. */
    void deleteHost(String id);
}
