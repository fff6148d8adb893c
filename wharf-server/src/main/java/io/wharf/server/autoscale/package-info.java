/**
 * The autoscaler (claims 002.7, 004.7): a controller that reads each autoscaled service's load from its
 * agents' and load balancers' reports ({@link io.wharf.server.autoscale.Signals}), decides its count with a
 * pure planner ({@link io.wharf.server.autoscale.Decide}), and acts through the service's scale; scale-ins go
 * through the acknowledged drain of {@link io.wharf.server.scalein}.
 */
@NullMarked
package io.wharf.server.autoscale;

import org.jspecify.annotations.NullMarked;
