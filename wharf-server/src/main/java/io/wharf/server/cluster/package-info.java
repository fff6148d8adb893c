/**
 * The cluster's desired and observed state: images, service specs, hosts and their agents, and the
 * containers placed on them (the monitoring table of claim 000.6). The scheduler turns specs into
 * container rows; each agent watches its host's rows and converges on them.
 */
@NullMarked
package io.wharf.server.cluster;

import org.jspecify.annotations.NullMarked;
