/**
 * The control plane's assembly: {@link io.wharf.server.WharfServer} builds the store, the registry and the
 * API from a {@link io.wharf.server.ServerConfig}, in one place, and tears them down in reverse.
 */
@NullMarked
package io.wharf.server;

import org.jspecify.annotations.NullMarked;
