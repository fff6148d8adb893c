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
        Map<String, Path> volumes) {
    public ContainerSpec {
        requireNonNull(id, "id");
        requireNonNull(image, "image");
        env = Map.copyOf(env);
        volumes = Map.copyOf(volumes);
    }
}
