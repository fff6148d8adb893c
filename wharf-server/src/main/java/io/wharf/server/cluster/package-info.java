/**
 * The cluster, split by concern: {@link io.wharf.server.cluster.Specs} (what users asked, and the scale a
 * controller set), {@link io.wharf.server.cluster.Hosts} (membership and liveness), the {@link
 * io.wharf.server.cluster.ContainerTable} (the monitoring table of claim 000.6, one writer at a time) and
 * {@link io.wharf.server.cluster.Placement}, which applies the pure {@link io.wharf.server.cluster.Scheduler}'s
 * plans. {@link io.wharf.server.cluster.ClusterView} is the snapshot long operations step on.
 */
@NullMarked
package io.wharf.server.cluster;

import org.jspecify.annotations.NullMarked;
