package io.wharf.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;

/**
 * Change → watchers notified, for {@link WatchLatency} and {@link EtcdWatchLatency}: when each of C changes was
 * sent, when each watcher saw it, and, per change, when the last of W watchers had it.
 */
final class ChangeTally {
    private final int watchers;
    private final long[] sentAt;
    private final AtomicLongArray lastSeenAt;
    private final AtomicInteger[] seenBy;
    private final Histogram perDelivery = new Histogram(60_000_000_000L, 3);
    private final CountDownLatch allSeen;

    ChangeTally(int watchers, int changes) {
        this.watchers = watchers;
        this.sentAt = new long[changes];
        this.lastSeenAt = new AtomicLongArray(changes);
        this.seenBy = new AtomicInteger[changes];
        for (int i = 0; i < changes; i++) seenBy[i] = new AtomicInteger();
        this.allSeen = new CountDownLatch(changes);
    }

    /** Change {@code seq} is being sent now. */
    void sending(int seq) {
        sentAt[seq] = System.nanoTime();
    }

    /** A watcher saw change {@code seq} now. */
    void seen(int seq) {
        long now = System.nanoTime();
        synchronized (perDelivery) {
            perDelivery.recordValue(now - sentAt[seq]);
        }
        lastSeenAt.accumulateAndGet(seq, now, Math::max);
        if (seenBy[seq].incrementAndGet() == watchers) allSeen.countDown();
    }

    /** Waits until every watcher saw every change, then prints the figures. */
    void report() throws InterruptedException {
        if (!allSeen.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(allSeen.getCount() + " changes not seen by every watcher");
        }
        Histogram allNotified = new Histogram(60_000_000_000L, 3);
        for (int i = 0; i < sentAt.length; i++) allNotified.recordValue(lastSeenAt.get(i) - sentAt[i]);
        System.out.printf(
                "changes=%d watchers=%d deliveries=%d%n", sentAt.length, watchers, perDelivery.getTotalCount());
        print("change -> all watchers notified", allNotified);
        print("change -> one watcher notified", perDelivery);
    }

    private static void print(String what, Histogram h) {
        System.out.printf(
                "%-34s p50=%.2fms p90=%.2fms p99=%.2fms max=%.2fms%n",
                what,
                h.getValueAtPercentile(50) / 1e6,
                h.getValueAtPercentile(90) / 1e6,
                h.getValueAtPercentile(99) / 1e6,
                h.getMaxValue() / 1e6);
    }
}
