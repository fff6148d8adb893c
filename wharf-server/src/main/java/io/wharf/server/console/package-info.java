/**
 * What the web console keeps beside the API: a short history of what the load balancers served of each service,
 * for its charts.
 */
@NullMarked
package io.wharf.server.console;

import org.jspecify.annotations.NullMarked;
