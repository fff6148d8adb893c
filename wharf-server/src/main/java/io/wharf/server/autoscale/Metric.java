package io.wharf.server.autoscale;

/** What the autoscaler can size a service by. */
public enum Metric {
    /** Mean CPU use per container, in percent of its reservation (of one core without one). */
    CPU("cpu", "%"),
    /** Mean resident memory per container, in percent of its limit. */
    MEMORY("memory", "%"),
    /** The service's p95 response time through its load balancers, in milliseconds. */
    LATENCY("latency", "ms"),
    /** Requests per second per container, through the load balancers. */
    REQUESTS("requestsPerSecond", "/s");

    private final String field;
    private final String unit;

    Metric(String field, String unit) {
        this.field = field;
        this.unit = unit;
    }

    /** Its name in a spec's {@code autoscale} block. */
    public String field() {
        return field;
    }

    /** The unit its values are in. */
    public String unit() {
        return unit;
    }
}
