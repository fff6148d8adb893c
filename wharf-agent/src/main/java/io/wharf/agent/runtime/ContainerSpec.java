package io.wharf.agent.runtime;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a runtime needs to start one container.
 *
 * @param id the container's id
 * @param image the image it runs, {@code name:version}
 * @param sha256 the digest of the image's package, by which the runtime fetches and verifies it
 * @param filename the package's file name: a .jar is placed as is, a .tar.gz unpacked
 * @param cmd the start command, run by {@code sh -c} in the container's directory
 * @param ip the container's own IP
 * @param port its main port
 * @param env its environment, besides {@code WHARF_IP}, {@code PORT} and {@code WHARF_CONTAINER}
 * @param cpuMillis CPU limit in thousandths of a core, 0 for none
 * @param memoryMb memory limit, 0 for none
 * @param volumes where the container sees each of its volumes (a path relative to its directory), and the
 *     host directory that holds it
 * @param hostNetwork whether it shares the host's network and listens on {@code ip} itself ({@code network:
 *     host}), where a runtime would otherwise give it a network of its own; processes always do
 */
public record ContainerSpec(
        String id,
        String image,
        String sha256,
        String filename,
        String cmd,
        String ip,
        int port,
        Map<String, String> env,
        long cpuMillis,
        long memoryMb,
        Map<String, Path> volumes,
        boolean hostNetwork) {
    public ContainerSpec {
        requireNonNull(id, "id");
        requireNonNull(image, "image");
        env = Map.copyOf(env);
        volumes = Map.copyOf(volumes);
    }

    /** This spec sharing the host's network, or not. */
    public ContainerSpec withHostNetwork(boolean host) {
        return new ContainerSpec(id, image, sha256, filename, cmd, ip, port, env, cpuMillis, memoryMb, volumes, host);
    }
}
