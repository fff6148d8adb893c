/**
 * The registry: namespaces and services (durable, in the store) and their endpoints (in memory, on
 * leases). Every change bumps one global revision; readers take a {@link io.wharf.server.registry.Snapshot}
 * at a revision and then watch the changes after it, and acknowledge what they have applied.
 */
@NullMarked
package io.wharf.server.registry;

import org.jspecify.annotations.NullMarked;
