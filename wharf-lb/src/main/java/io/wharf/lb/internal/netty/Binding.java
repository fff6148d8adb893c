package io.wharf.lb.internal.netty;

import io.wharf.lb.Route;

/** A route and the service target it sends to. */
public record Binding(Route route, ServiceTarget target) {}
