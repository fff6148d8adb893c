/**
 * The artifact store: application packages kept by their sha256, so that an image {@code name:version}
 * names exactly one package and agents can verify what they download.
 */
@NullMarked
package io.wharf.server.artifact;

import org.jspecify.annotations.NullMarked;
