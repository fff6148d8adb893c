package io.wharf.core.cluster;

import static java.util.Objects.requireNonNull;

import io.wharf.core.registry.ServiceKey;
import java.time.Instant;

/**
 * A volume of one container ordinal (claim 002.1): made on a host when the ordinal was first placed there, and
 * kept — across restarts, releases and scale-in — until it is deleted by name. While it exists it pins its
 * ordinal to its host and, where free, to the IP it had.
 *
 * @param service the service
 * @param ordinal the container ordinal it belongs to
 * @param name the volume's name in the spec
 * @param hostId the host it is on
 * @param ip the IP its ordinal had there
 * @param sizeBytes the size the spec asked for when it was made
 * @param deleting asked to be deleted: the host's agent removes it once no container of its ordinal runs
 * @param createdAt when it was bound to its host
 */
public record VolumeRecord(
        ServiceKey service,
        int ordinal,
        String name,
        String hostId,
        String ip,
        long sizeBytes,
        boolean deleting,
        Instant createdAt) {
    public VolumeRecord {
        requireNonNull(service, "service");
        requireNonNull(name, "name");
        requireNonNull(hostId, "hostId");
        requireNonNull(ip, "ip");
    }

    /** This volume asked to be deleted. */
    public VolumeRecord toDelete() {
        return new VolumeRecord(service, ordinal, name, hostId, ip, sizeBytes, true, createdAt);
    }

    /** The directory on its host that holds the volumes of one ordinal: {@code namespace.service.ordinal}. */
    public static String dirOf(ServiceKey service, int ordinal) {
        return ContainerRecord.idOf(service, ordinal);
    }

    /** The directory holding it, {@link #dirOf}. */
    public String dir() {
        return dirOf(service, ordinal);
    }
}
