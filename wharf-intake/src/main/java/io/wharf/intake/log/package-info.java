/** Where the intake keeps requests between the client and the service: the log interface and its backends. */
@NullMarked
package io.wharf.intake.log;

import org.jspecify.annotations.NullMarked;
