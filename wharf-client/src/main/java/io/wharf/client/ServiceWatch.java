package io.wharf.client;

import io.wharf.client.wire.EndpointInfo;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * One service followed through the registry's event stream as one watcher — what load balancers and SDK views
 * share. A snapshot, then each change; a broken stream is resumed from the last revision applied, and a change
 * told before the break is not told again; a resync starts over from a snapshot. The handler gets the service's
 * whole list of endpoints (by id) after every revision, in order, on the HTTP client's threads (no thread is the
 * watch's own).
 *
 * <p>Acknowledgements, for the watchers a drain waits for, go out one at a time, always the latest revision, at
 * most one per gap; which revisions are acknowledged is the {@link Acknowledging} given.
 *
 * <p>A watch may hold back an empty list that comes right after a broken stream ({@code holdEmpty}):
 * a restarted server's registry is empty until the owners of its leases register again, which is not the service
 * going away.
 */
public final class ServiceWatch implements AutoCloseable {
    private static final System.Logger log = System.getLogger(ServiceWatch.class.getName());
    private static final Duration RETRY_MIN = Duration.ofMillis(100);
    private static final Duration RETRY_MAX = Duration.ofSeconds(2);
    private static final Duration ACK_RETRY = Duration.ofMillis(500);

    /** Told the service's endpoints after each revision applied. */
    public interface Handler {
        void endpoints(long revision, List<EndpointInfo> endpoints);
    }

    /** Which revisions a watch acknowledges. */
    public enum Acknowledging {
        /** Every one: the watcher's acknowledged revision follows the registry's. */
        EVERY_REVISION,
        /**
         * Those that take endpoints away, and snapshots: what a drain waits for. Acknowledgements are
         * cumulative, so one for a removal covers every change before it; registrations cost no requests.
         */
        REMOVALS
    }

    private final WharfClient client;
    private final String namespace;
    private final String service;
    private final String watcher;
    private final Acknowledging acknowledging;
    private final long ackGapNanos;
    private final Handler handler;
    private final ScheduledExecutorService timer;
    private final long holdEmptyNanos;
    /** Held while a list is handed over, so that lists go one at a time, in order, from either thread. */
    private final Object delivering = new Object();
    /** An earlier stream told this watch something. */
    private boolean told;
    /** The first event of a stream that follows another is being read. */
    private boolean resumed;
    /** The last list handed over had endpoints. */
    private boolean hadEndpoints;
    /** An empty list after a break is held back; when it ends, it is handed over unless endpoints came. */
    private boolean holding;
    /** Which hold is on, so that the end of an earlier one does not end it. */
    private long holds;

    private final Map<String, EndpointInfo> endpoints = new TreeMap<>();
    private final AtomicBoolean acking = new AtomicBoolean();
    private final AtomicLong wanted = new AtomicLong(-1);
    private volatile long lastAck;
    private volatile boolean closed;
    private volatile @Nullable EventSubscription stream;
    private long revision = -1;
    /** The stream of the moment has told something; under {@link #delivering}. */
    private boolean delivered;
    /** The pause before the next stream, in nanoseconds; under {@link #delivering}. */
    private long wait = RETRY_MIN.toNanos();

    private ServiceWatch(
            WharfClient client,
            String namespace,
            String service,
            String watcher,
            Acknowledging acknowledging,
            Duration ackGap,
            ScheduledExecutorService timer,
            Duration holdEmpty,
            Handler handler) {
        this.timer = Objects.requireNonNull(timer, "timer");
        this.holdEmptyNanos = holdEmpty.toNanos();
        this.client = Objects.requireNonNull(client, "client");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.service = Objects.requireNonNull(service, "service");
        this.watcher = Objects.requireNonNull(watcher, "watcher");
        this.acknowledging = Objects.requireNonNull(acknowledging, "acknowledging");
        this.ackGapNanos = ackGap.toNanos();
        this.handler = Objects.requireNonNull(handler, "handler");
        this.lastAck = System.nanoTime() - ackGapNanos;
    }

    /**
     * Starts following {@code namespace/service} as {@code watcher}. The stream is read, and {@code handler}
     * called, on the HTTP client's threads: a handler should not block.
     *
     * @param ackGap the least time between two acknowledgements (zero for none)
     * @param timer where acknowledgements held back by the gap, or retried, the end of a hold and the next stream
     *     after a break are scheduled;
     *     the caller's, so that no thread of the JDK's is started on its behalf
     * @param holdEmpty how long an empty list right after a broken stream is held back while the service had
     *     endpoints (zero: never) — for watchers whose services' endpoints live on leases their owners renew
     */
    public static ServiceWatch start(
            WharfClient client,
            String namespace,
            String service,
            String watcher,
            Acknowledging acknowledging,
            Duration ackGap,
            ScheduledExecutorService timer,
            Duration holdEmpty,
            Handler handler) {
        ServiceWatch w =
                new ServiceWatch(client, namespace, service, watcher, acknowledging, ackGap, timer, holdEmpty, handler);
        w.connect();
        return w;
    }

    /** How the registry knows this watch among the service's watchers. */
    public String watcher() {
        return watcher;
    }

    /** Opens the next stream, from the last revision applied. */
    private void connect() {
        if (closed) return;
        EventSubscription s;
        try {
            synchronized (delivering) {
                // a resync may have cleared the revision: what counts is that an earlier stream told something
                resumed = told;
                delivered = false;
                s = client.registry().follow(namespace, service, Optional.of(watcher), revision, true, this::apply);
            }
        } catch (RuntimeException e) {
            log.log(Level.WARNING, "cannot follow " + namespace + "/" + service + ": " + e);
            retry();
            return;
        }
        stream = s;
        if (closed) s.close();
        s.ended().whenComplete((ok, err) -> ended(err));
    }

    /** A stream ended: the next one is opened after a pause that grows while streams tell nothing. */
    private void ended(@Nullable Throwable err) {
        Throwable e = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (e instanceof ApiException) {
            log.log(Level.WARNING, "cannot follow " + namespace + "/" + service + ": " + e.getMessage());
        } else if (e != null && !closed) {
            log.log(Level.DEBUG, "watch of " + namespace + "/" + service + " broke: " + e);
        }
        retry();
    }

    private void retry() {
        if (closed) return;
        long pause;
        synchronized (delivering) {
            if (delivered) wait = RETRY_MIN.toNanos();
            pause = wait;
            wait = Math.min(RETRY_MAX.toNanos(), wait * 2);
        }
        schedule(this::connect, pause);
    }

    /** Applies one event; false when the stream must start again from a snapshot. */
    private boolean apply(WatchEvent e) {
        // the list is read by the timer too, when a hold ends
        synchronized (delivering) {
            return applyUnderLock(e);
        }
    }

    private boolean applyUnderLock(WatchEvent e) {
        if (closed) return false;
        if (e.kind() != WatchEvent.Kind.RESYNC) delivered = true;
        switch (e.kind()) {
            case SNAPSHOT:
                endpoints.clear();
                for (EndpointInfo i : e.snapshot().orElseThrow().endpoints()) endpoints.put(i.id(), i);
                break;
            case PUT:
                if (e.revision() <= revision) return true; // told before the stream broke
                EndpointInfo put = e.put().orElseThrow().endpoint();
                endpoints.put(put.id(), put);
                break;
            case DELETE:
                if (e.revision() <= revision) return true;
                endpoints.remove(e.delete().orElseThrow().id());
                break;
            case RESYNC:
                log.log(
                        Level.INFO,
                        "watch of " + namespace + "/" + service + " starts again: "
                                + e.resync().orElseThrow().reason());
                revision = -1;
                return false;
            default:
                return true;
        }
        revision = e.revision();
        boolean afterBreak = resumed;
        resumed = false;
        told = true;
        if (closed) return false;
        if (endpoints.isEmpty() && (holding || (afterBreak && hadEndpoints && holdEmptyNanos > 0))) {
            if (!holding) {
                holding = true;
                long hold = ++holds;
                log.log(
                        Level.INFO,
                        "watch of " + namespace + "/" + service + " came back empty: the last endpoints are kept"
                                + " for up to "
                                + Duration.ofNanos(holdEmptyNanos).toMillis() + " ms");
                schedule(() -> holdEnded(hold), holdEmptyNanos);
            }
            return true;
        }
        holding = false;
        return deliver(e.kind() != WatchEvent.Kind.PUT);
    }

    /**
     * Hands the list over and acknowledges as asked; false if the handler failed, and the watch must then start
     * again from a snapshot. Under {@link #delivering}.
     */
    private boolean deliver(boolean removal) {
        List<EndpointInfo> list = new ArrayList<>(endpoints.values());
        hadEndpoints = !list.isEmpty();
        try {
            handler.endpoints(revision, list);
        } catch (RuntimeException e) {
            // not acknowledged; the next stream starts from a snapshot, so the handler gets the whole list again
            log.log(
                    Level.WARNING,
                    "revision " + revision + " of " + namespace + "/" + service
                            + " was not taken; the watch starts again from a snapshot",
                    e);
            revision = -1;
            delivered = false; // a handler that keeps failing is not retried at once, again and again
            return false;
        }
        if (acknowledging == Acknowledging.EVERY_REVISION || removal) acknowledge(revision);
        return true;
    }

    /** The hold of an empty list ended with no endpoint back: the service is empty. */
    private void holdEnded(long hold) {
        synchronized (delivering) {
            if (!holding || hold != holds || closed) return;
            holding = false;
            if (!deliver(true)) {
                EventSubscription s = stream;
                if (s != null) s.close();
            }
        }
    }

    /** Asks for {@code r} to be acknowledged: one in flight at a time, always the latest, one per gap at most. */
    private void acknowledge(long r) {
        if (closed) return;
        wanted.accumulateAndGet(r, Math::max);
        if (!acking.compareAndSet(false, true)) return;
        later(lastAck + ackGapNanos - System.nanoTime());
    }

    private void sendAck() {
        if (closed) {
            acking.set(false);
            return;
        }
        long sending = wanted.get();
        lastAck = System.nanoTime();
        client.registry().acknowledge(namespace, service, watcher, sending).whenComplete((ok, err) -> {
            if (closed) {
                acking.set(false);
            } else if (err != null) {
                log.log(Level.DEBUG, "acknowledging " + sending + " of " + namespace + "/" + service + ": " + err);
                later(ACK_RETRY.toNanos());
            } else if (wanted.get() > sending) {
                later(lastAck + ackGapNanos - System.nanoTime());
            } else {
                acking.set(false);
                // a revision applied between the check and now would otherwise wait for the next one
                if (wanted.get() > sending) acknowledge(wanted.get());
            }
        });
    }

    private void later(long nanos) {
        if (nanos <= 0) {
            sendAck();
        } else if (!schedule(this::sendAck, nanos)) {
            acking.set(false);
        }
    }

    /** Runs {@code task} on the timer after {@code nanos}; false if the timer is shut down. */
    private boolean schedule(Runnable task, long nanos) {
        try {
            timer.schedule(task, nanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (RejectedExecutionException closing) {
            return false;
        }
    }

    /** Stops following: the stream is closed, and no acknowledgement goes out after. */
    @Override
    public void close() {
        closed = true;
        EventSubscription s = stream;
        if (s != null) s.close();
    }
}
