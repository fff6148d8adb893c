package io.wharf.server.registry;

import io.wharf.store.Store;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands out the registry's global revisions: strictly increasing, and never reused after a restart,
 * because they are taken from blocks reserved in the store ahead of use.
 */
final class RevisionClock {
    private final Store store;
    private final long block;
    private final AtomicLong last;
    private final long start;
    private volatile long ceiling;

    RevisionClock(Store store, long block) {
        this.store = store;
        this.block = block;
        this.ceiling = store.reserveRevisions(block);
        this.start = ceiling - block;
        this.last = new AtomicLong(start);
    }

    /** The revision this incarnation started at: no event at or below it is known to this process. */
    long start() {
        return start;
    }

    /** The latest revision handed out. */
    long current() {
        return last.get();
    }

    /** The next revision. */
    long next() {
        long r = last.incrementAndGet();
        if (r > ceiling) {
            reserveUpTo(r);
        }
        return r;
    }

    private synchronized void reserveUpTo(long r) {
        while (r > ceiling) {
            ceiling = store.reserveRevisions(block);
        }
    }
}
