package io.wharf.store.jdbc;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes committed writes durable, writers at the same moment sharing one sync (group commit).
 *
 * <p>Invariant, under {@link #lock}: every ticket {@code <= synced} belongs to a write that a completed sync
 * covers. A writer takes its ticket after its commit returned; a sync that starts later covers every ticket taken
 * before it started, so the leader of a sync records the newest ticket as covered once the sync succeeded. A sync
 * that fails covers nothing: the waiters try again, one of them leading, and the error goes to the writer whose
 * sync failed.
 */
final class GroupSync {
    /** The sync itself: forces what the database has written down to the device. */
    @FunctionalInterface
    interface Action {
        void sync() throws Exception;
    }

    private final Action action;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition finished = lock.newCondition();
    private final LongAdder syncs = new LongAdder();
    private final LongAdder syncNanos = new LongAdder();
    private long tickets;
    private long synced;
    private boolean syncing;

    GroupSync(Action action) {
        this.action = requireNonNull(action, "action");
    }

    /** Returns once every write committed before this call is durable. */
    void awaitDurable() {
        lock.lock();
        try {
            long ticket = ++tickets;
            while (synced < ticket) {
                if (syncing) {
                    finished.awaitUninterruptibly();
                    continue;
                }
                syncing = true;
                long covers = tickets;
                boolean done = false;
                lock.unlock();
                try {
                    long started = System.nanoTime();
                    action.sync();
                    syncs.increment();
                    syncNanos.add(System.nanoTime() - started);
                    done = true;
                } catch (Exception e) {
                    throw new IllegalStateException("store: could not sync the embedded database to disk", e);
                } finally {
                    lock.lock();
                    syncing = false;
                    if (done) {
                        synced = covers;
                    }
                    finished.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** How many writers asked so far. */
    long tickets() {
        lock.lock();
        try {
            return tickets;
        } finally {
            lock.unlock();
        }
    }

    /** How many syncs completed. */
    long syncs() {
        return syncs.sum();
    }

    /** The time spent in completed syncs. */
    long syncTime(TimeUnit unit) {
        return unit.convert(syncNanos.sum(), TimeUnit.NANOSECONDS);
    }
}
