package io.wharf.agent.runtime;

import java.nio.file.Path;

/**
 * Where a runtime gets an image's package: a local file holding exactly the bytes whose sha256 is given,
 * fetched once per host.
 */
@FunctionalInterface
public interface Packages {
    /**
     * The package of {@code image} ({@code name:version}) with digest {@code sha256}, fetched if needed.
     *
     * @throws RuntimeException if it cannot be had or its bytes are not those of the digest
     */
    Path get(String image, String sha256);
}
