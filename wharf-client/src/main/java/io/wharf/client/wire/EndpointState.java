package io.wharf.client.wire;

/** Where an endpoint stands in the registry. Consumers and load balancers send traffic only to {@link #UP}. */
public enum EndpointState {
    /** Registered and serving. */
    UP,
    /** Still running, but taking no new traffic while what it has in flight completes. */
    DRAINING,
    /** Registered but not serving, e.g. failing its health check. */
    DOWN
}
