/**
 * The fair intake (claims 002.2–002.6): the records its logs hold, the sequencer that orders each service's
 * requests by send time, and the dispatcher that hands them to the service by order key.
 */
@NullMarked
package io.wharf.intake;

import org.jspecify.annotations.NullMarked;
