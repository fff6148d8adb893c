/**
 * Smooth releases (claims 001.1–001.10): every endpoint of a service replaced in turn, its traffic drained
 * by acknowledgement rather than by a timer, kept as durable state so a restarted server carries on.
 */
@NullMarked
package io.wharf.server.release;

import org.jspecify.annotations.NullMarked;
