package io.wharf.core.cluster;

import io.wharf.client.wire.Desired;
import io.wharf.client.wire.Registration;
import io.wharf.core.registry.EndpointId;
import io.wharf.core.registry.ServiceKey;
import io.wharf.core.spec.ImageRef;
import java.time.Instant;

/**
 * One row of the container (monitoring) table, claim 000.6: a container of a service, on a host, with its
 * own IP and port, and what it should be doing.
 *
 * @param id deterministic: {@code namespace.service.ordinal}
 * @param service its service
 * @param ordinal its number within the service
 * @param hostId the host it is placed on
 * @param image the image it runs
 * @param ip its own IP
 * @param port its main port
 * @param desired whether it should run
 * @param registration whether its agent registers it in the registry (paused during a release, 001.3)
 * @param createdAt when it was placed
 * @param updatedAt when the row last changed
 */
public record ContainerRecord(
        String id,
        ServiceKey service,
        int ordinal,
        String hostId,
        ImageRef image,
        String ip,
        int port,
        Desired desired,
        Registration registration,
        Instant createdAt,
        Instant updatedAt) {
    /** This row with another desired state, changed at {@code at}. */
    public ContainerRecord withDesired(Desired newDesired, Instant at) {
        return new ContainerRecord(
                id, service, ordinal, hostId, image, ip, port, newDesired, registration, createdAt, at);
    }

    /** This row with another image, changed at {@code at}. */
    public ContainerRecord withImage(ImageRef newImage, Instant at) {
        return new ContainerRecord(
                id, service, ordinal, hostId, newImage, ip, port, desired, registration, createdAt, at);
    }

    /** This row with another registration switch, changed at {@code at}. */
    public ContainerRecord withRegistration(Registration newRegistration, Instant at) {
        return new ContainerRecord(
                id, service, ordinal, hostId, image, ip, port, desired, newRegistration, createdAt, at);
    }

    /** The container's endpoint, {@code ip_port}. */
    public EndpointId endpoint() {
        return new EndpointId(ip, port);
    }

    /** The id a container of {@code service} with {@code ordinal} has. */
    public static String idOf(ServiceKey service, int ordinal) {
        return service.namespace() + "." + service.service() + "." + ordinal;
    }
}
