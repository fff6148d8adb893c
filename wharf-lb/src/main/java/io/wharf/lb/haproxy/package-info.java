/** HAProxy as a host's data plane: its configuration from a template, endpoint changes through its runtime API. */
@NullMarked
package io.wharf.lb.haproxy;

import org.jspecify.annotations.NullMarked;
