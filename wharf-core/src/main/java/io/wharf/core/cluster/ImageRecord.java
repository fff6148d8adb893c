package io.wharf.core.cluster;

import io.wharf.core.spec.ImageRef;
import java.time.Instant;

/**
 * An image: a package in the artifact store and the command that starts it. What the package is, its file name
 * tells ({@link Kind}): an application package for the process runtime, or a Docker image for the Docker
 * runtime.
 *
 * @param ref name and version
 * @param digest sha256 of the package, hex
 * @param sizeBytes the package's size
 * @param filename the package's file name, which says its {@link Kind}
 * @param cmd the start command, run by {@code sh -c} in the container's directory; for a Docker image, empty
 *     for the image's own command
 * @param createdAt when it was pushed
 */
public record ImageRecord(ImageRef ref, String digest, long sizeBytes, String filename, String cmd, Instant createdAt) {

    /** What a package is, by its file name. */
    public enum Kind {
        /** {@code .jar}: placed in the container's directory as is (process runtime). */
        JAR(".jar"),
        /** {@code .tar.gz}: unpacked into the container's directory (process runtime). */
        TAR_GZ(".tar.gz"),
        /** {@code .docker.tar}: a {@code docker save} archive, loaded once per host (Docker runtime). */
        DOCKER_ARCHIVE(DockerArchive.SUFFIX),
        /**
         * {@code .docker-ref}: a text file naming an image already present on every Docker host, e.g.
         * {@code busybox:1.36}; putting it there is the user's responsibility (Docker runtime).
         */
        DOCKER_REFERENCE(".docker-ref");

        private final String suffix;

        Kind(String suffix) {
            this.suffix = suffix;
        }

        public String suffix() {
            return suffix;
        }

        /** Whether the Docker runtime runs it (else the process runtime does). */
        public boolean docker() {
            return this == DOCKER_ARCHIVE || this == DOCKER_REFERENCE;
        }

        /** The kind of package called {@code filename}, if any. */
        public static java.util.Optional<Kind> of(String filename) {
            // .docker.tar before anything shorter it might end with
            for (Kind k : new Kind[] {DOCKER_ARCHIVE, DOCKER_REFERENCE, TAR_GZ, JAR}) {
                if (filename.endsWith(k.suffix) && filename.length() > k.suffix.length()) {
                    return java.util.Optional.of(k);
                }
            }
            return java.util.Optional.empty();
        }
    }

    /** The kind of this image's package. */
    public Kind kind() {
        return Kind.of(filename).orElseThrow();
    }
}
