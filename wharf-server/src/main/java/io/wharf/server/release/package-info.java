/**
 * Smooth releases (claims 001.1-001.10) as a kind of operation: every endpoint of a service replaced in turn,
 * in place or start-first, its traffic drained by acknowledgement rather than by a timer, a new endpoint
 * judged on what it served after a warm-up. Pure steps over a cluster view; the engine stores and applies.
 */
@NullMarked
package io.wharf.server.release;

import org.jspecify.annotations.NullMarked;
