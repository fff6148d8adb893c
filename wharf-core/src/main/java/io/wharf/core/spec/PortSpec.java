package io.wharf.core.spec;

import io.wharf.client.wire.Protocol;
import java.util.Optional;

/**
 * One port of a service's containers.
 *
 * @param port the port the container listens on (on its own IP, so every container can use the same one)
 * @param protocol HTTP or TCP
 * @param external the port users reach through the load balancer, if published
 * @param contextPath for HTTP, the path prefix routed to this port
 */
public record PortSpec(int port, Protocol protocol, Optional<Integer> external, String contextPath) {}
