/**
 * Batch scale-out of service groups (claims 000.1-000.7) as an operation: one task per request, with a row
 * per service and per container it creates, stepped until every service is done or skipped, and projected
 * into the task table of claim 000.4 after each step.
 */
@NullMarked
package io.wharf.server.scaleout;

import org.jspecify.annotations.NullMarked;
