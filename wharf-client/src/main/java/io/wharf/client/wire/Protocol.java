package io.wharf.client.wire;

/** How a port speaks: the load balancer proxies HTTP per request and TCP per connection. */
public enum Protocol {
    /** Proxied per request, routed by context path. */
    HTTP,
    /** Relayed per connection. */
    TCP
}
