/**
 * The registry's values: namespaces contain services, services contain endpoints, and an endpoint is
 * named by its {@code ip_port}. Validation lives in the records, so anything holding one is valid.
 */
@NullMarked
package io.wharf.core.registry;

import org.jspecify.annotations.NullMarked;
