/**
 * The agent of one host (claim 004.1): it joins with a token, watches its host's assignments and
 * converges on them, health-checks its containers and registers their endpoints on the host's lease,
 * and reports the host and its containers twice a second.
 */
@NullMarked
package io.wharf.agent;

import org.jspecify.annotations.NullMarked;
