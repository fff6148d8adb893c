/** The SDK instances that report to the server (the control channel of claim 003). */
@NullMarked
package io.wharf.server.clients;

import org.jspecify.annotations.NullMarked;
