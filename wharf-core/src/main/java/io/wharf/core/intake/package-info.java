/**
 * The fair intake's pure parts (claims 002.2–002.4): the send stamp a request is ordered by, clamped into what
 * its arrival allows, and the re-order buffer that releases requests in send order once the watermark has
 * passed them. No I/O: the intake and the sequencer feed them.
 */
@NullMarked
package io.wharf.core.intake;

import org.jspecify.annotations.NullMarked;
