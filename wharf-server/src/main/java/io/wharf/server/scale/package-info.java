/**
 * Batch scale-out of service groups (claims 000.1–000.7) as durable tasks: a task table with one row per
 * service and per container, scanned until every service is done or skipped.
 */
@NullMarked
package io.wharf.server.scale;

import org.jspecify.annotations.NullMarked;
