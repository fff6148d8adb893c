package io.wharf.server.release;

import io.wharf.client.wire.Served;

/**
 * What one load balancer had counted of one endpoint at a moment: requests, failures, the total time of those
 * answered, and their response times as a compressed HdrHistogram (empty from load balancers that send none).
 */
public record Sample(long requests, long failures, long totalMicros, String latency) {
    static Sample of(Served s) {
        return new Sample(
                s.requests(), s.failures(), s.totalMicros(), s.latency().orElse(""));
    }
}
