/**
 * The cluster's durable records: hosts that joined, images that were pushed, and the rows of the container
 * (monitoring) table that place a service's containers on hosts. Plain values; the store keeps them and the
 * server's cluster model changes them.
 */
@NullMarked
package io.wharf.core.cluster;

import org.jspecify.annotations.NullMarked;
