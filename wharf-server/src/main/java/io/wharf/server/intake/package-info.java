/** The fair intakes the service specs ask for, run in the server's process (the embedded mode). */
@NullMarked
package io.wharf.server.intake;

import org.jspecify.annotations.NullMarked;
