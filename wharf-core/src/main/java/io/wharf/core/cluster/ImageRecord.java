package io.wharf.core.cluster;

import io.wharf.core.spec.ImageRef;
import java.time.Instant;

/**
 * An image of the process runtime: a package in the artifact store and the command that starts it.
 *
 * @param ref name and version
 * @param digest sha256 of the package, hex
 * @param sizeBytes the package's size
 * @param filename the package's file name (a .jar is placed as is, a .tar.gz is unpacked)
 * @param cmd the start command, run by {@code sh -c} in the container's directory
 * @param createdAt when it was pushed
 */
public record ImageRecord(
        ImageRef ref, String digest, long sizeBytes, String filename, String cmd, Instant createdAt) {}
