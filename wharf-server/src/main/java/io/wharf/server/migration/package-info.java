/**
 * In-place registry interface migrations (claims 003.2–003.7): a long operation that moves the SDK instances of
 * a namespace from one registry interface to another — providers register through both, consumers follow both,
 * the address sets are compared, consumers switch, calls are watched, the old interface is unloaded — through
 * the desired interfaces the server hands each instance in answer to its report. Any check failing switches
 * everyone back. See docs/migration.md.
 */
@NullMarked
package io.wharf.server.migration;

import org.jspecify.annotations.NullMarked;
