/**
 * Where containers go: the choice of host for a new container (spread a service across hosts, within
 * their capacity) and of its IP from the host's pool. Pure functions of a snapshot.
 */
@NullMarked
package io.wharf.core.placement;

import org.jspecify.annotations.NullMarked;
