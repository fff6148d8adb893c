package io.wharf.bench;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/** Requests sent, failed, and their latencies (µs, from when each was due). */
final class Tally {
    final AtomicLong sent = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final Recorder latency = new Recorder(3);
    final Queue<String> failures = new ConcurrentLinkedQueue<>();
}
