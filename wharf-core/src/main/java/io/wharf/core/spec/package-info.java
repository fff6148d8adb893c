/**
 * What a service should be (claim 004.2): its image {@code name:version}, replicas, ports with protocol
 * and external port, resources, environment, labels and health check. Specs are validated as a whole, so
 * a refusal names every wrong field at once.
 */
@NullMarked
package io.wharf.core.spec;

import org.jspecify.annotations.NullMarked;
