package io.wharf.lb;

import org.HdrHistogram.Histogram;

/**
 * What one endpoint has had since it joined: requests (or connections), how many failed (5xx answers
 * included), the total time of those answered and their response times in microseconds. Counts start again
 * when an endpoint leaves and returns.
 */
public record Served(long requests, long failures, long totalNanos, Histogram latencyMicros) {}
