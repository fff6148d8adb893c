package io.wharf.server.registry;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * One reader of one service that follows its changes: a load balancer, an SDK cache, a CLI. It has an
 * id of its own choosing, acknowledges the revisions it has applied, and, when it streams, receives
 * events through a bounded buffer; a watcher that lets the buffer fill is cut off with a resync signal,
 * and nobody else waits for it.
 */
public final class Watcher {
    /** How a watcher follows changes. */
    public enum Kind {
        /** Server-sent events: pushed one by one. */
        STREAM,
        /** Repeated long-polls: each returns a snapshot once the service has passed the given revision. */
        LONG_POLL
    }

    private final String id;
    private final ServiceSlot slot;
    private final Kind kind;
    private final int capacity;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicLong acknowledged = new AtomicLong();
    private volatile long lastSeenNanos;
    private volatile boolean acknowledges;
    private volatile @Nullable Stream stream;

    private final Runnable onCutOff;

    Watcher(String id, ServiceSlot slot, Kind kind, int capacity, long nowNanos, Runnable onCutOff) {
        this.onCutOff = onCutOff;
        this.id = id;
        this.slot = slot;
        this.kind = kind;
        this.capacity = capacity;
        this.lastSeenNanos = nowNanos;
    }

    /** The watcher's id. */
    public String id() {
        return id;
    }

    /** How it follows changes. */
    public Kind kind() {
        return kind;
    }

    /** The highest revision it has acknowledged applying. */
    public long acknowledged() {
        return acknowledged.get();
    }

    /**
     * Whether it declared that it acknowledges what it applies: only such watchers are waited for by drains, so
     * one that watches and never acknowledges cannot hold up a release.
     */
    public boolean acknowledges() {
        return acknowledges;
    }

    void acknowledges(boolean declared) {
        if (declared) acknowledges = true;
    }

    /** Whether it has a connection open now. */
    public boolean connected() {
        return connections.get() > 0;
    }

    ServiceSlot slot() {
        return slot;
    }

    void acknowledge(long revision) {
        // monotonic: a late, lower acknowledgement never takes back a higher one
        acknowledged.accumulateAndGet(revision, Math::max);
    }

    void connected(long nowNanos) {
        connections.incrementAndGet();
        lastSeenNanos = nowNanos;
    }

    void disconnected(long nowNanos) {
        connections.decrementAndGet();
        lastSeenNanos = nowNanos;
    }

    boolean idleLongerThan(long graceNanos, long nowNanos) {
        return connections.get() == 0 && nowNanos - lastSeenNanos > graceNanos;
    }

    /** Opens a fresh event stream for this watcher, cutting off any stream it had. */
    Stream openStream() {
        Stream old = stream;
        if (old != null) {
            old.cutOff("replaced by a newer connection of the same watcher");
        }
        Stream s = new Stream(capacity, onCutOff);
        stream = s;
        return s;
    }

    void closeStream(Stream s) {
        if (stream == s) {
            stream = null;
        }
    }

    /** Hands a change to the watcher's stream without blocking; false if that cut the watcher off. */
    boolean offer(ChangeEvent event) {
        Stream s = stream;
        return s == null || s.offer(event);
    }

    /**
     * The buffer between the registry and one streaming connection. The registry only offers to it, never
     * waits, and tells the connection when it has put something there ({@link #onReady}); the connection takes
     * events without waiting ({@link #next}) when it can write them. A slow client never slows the registry or
     * the other watchers: its buffer fills up and it is cut off.
     */
    public static final class Stream {
        private static final Runnable NOBODY = () -> {};

        private final Queue<ChangeEvent> queue = new ConcurrentLinkedQueue<>();
        private final AtomicInteger undelivered = new AtomicInteger();
        private final int capacity;
        private final Runnable onCutOff;
        private volatile @Nullable String cutOffReason;
        private volatile Runnable ready = NOBODY;

        Stream(int capacity, Runnable onCutOff) {
            this.capacity = capacity;
            this.onCutOff = onCutOff;
        }

        /** Called under the service's lock: one offer at a time. */
        boolean offer(ChangeEvent event) {
            if (cutOffReason != null) {
                return false;
            }
            if (undelivered.incrementAndGet() > capacity) {
                cutOff("fell behind: " + capacity + " undelivered events");
                onCutOff.run();
                return false;
            }
            queue.offer(event);
            ready.run();
            return true;
        }

        void cutOff(String reason) {
            cutOffReason = reason;
            queue.clear();
            ready.run();
        }

        /**
         * Runs {@code whenReady} each time an event or a cut-off is put in the buffer (at once if something is
         * there already). It runs on the registry's thread, under the service's lock: it must only hand the
         * work on, never write or wait.
         */
        public void onReady(Runnable whenReady) {
            ready = whenReady;
            if (!queue.isEmpty() || cutOffReason != null) {
                whenReady.run();
            }
        }

        /**
         * The next event without waiting; null when there is none now.
         *
         * @throws CutOffException when the watcher was cut off and must resync
         */
        public @Nullable ChangeEvent next() {
            String reason = cutOffReason;
            if (reason != null) {
                throw new CutOffException(reason);
            }
            ChangeEvent e = queue.poll();
            if (e != null) {
                undelivered.decrementAndGet();
            }
            return e;
        }
    }

    /** Raised to a stream's reader when its watcher was cut off; the reader must start again from a snapshot. */
    public static final class CutOffException extends RuntimeException {
        CutOffException(String reason) {
            super(reason);
        }
    }
}
