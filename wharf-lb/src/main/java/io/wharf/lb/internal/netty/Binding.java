package io.wharf.lb.proxy;

import io.wharf.lb.Route;

/** A route and the service target it sends to. */
public record Binding(Route route, ServiceTarget target) {}
