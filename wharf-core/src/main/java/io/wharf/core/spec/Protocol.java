package io.wharf.core.spec;

/** How a port speaks: the load balancer proxies HTTP per request and TCP per connection. */
public enum Protocol {
    HTTP,
    TCP
}
