/**
 * Balancing rules (claim 004.4's "load-balancing rules"): which endpoint of a service gets the next
 * request or connection. A {@link io.wharf.lb.balance.Balancer} works over one immutable set of
 * {@link io.wharf.lb.balance.Backend}s; when the registry changes, a new balancer replaces the old one, and
 * the backends it keeps carry their in-flight counts over.
 */
@NullMarked
package io.wharf.lb.balance;

import org.jspecify.annotations.NullMarked;
