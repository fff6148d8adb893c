/**
 * The built-in data plane on Netty: one listener per published port, an HTTP/1.1 reverse proxy routed by
 * context path and a TCP relay, each service's endpoints and meters kept in a {@link
 * io.wharf.lb.internal.netty.ServiceTarget}. It promises nothing beyond {@link io.wharf.lb.DataPlane}.
 */
@NullMarked
package io.wharf.lb.internal.netty;

import org.jspecify.annotations.NullMarked;
