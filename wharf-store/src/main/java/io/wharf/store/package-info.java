/**
 * The durable store behind the control plane: what must survive a restart (namespaces, services, the
 * registry's revision ceiling). {@link io.wharf.store.Store} is the boundary; {@code jdbc} implements it
 * for H2, PostgreSQL and MariaDB/MySQL.
 */
@NullMarked
package io.wharf.store;

import org.jspecify.annotations.NullMarked;
