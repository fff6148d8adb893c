package io.wharf.client;

import io.wharf.client.wire.EndpointInfo;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * One service followed through the registry's event stream as one watcher — what load balancers and SDK views
 * share. A snapshot, then each change; a broken stream is resumed from the last revision applied, and a change
 * told before the break is not told again; a resync starts over from a snapshot. The handler gets the service's
 * whole list of endpoints (by id) after every revision, in order, on the watch's own thread.
 *
 * <p>Acknowledgements, for the watchers a drain waits for, go out one at a time, always the latest revision, at
 * most one per gap; which revisions are acknowledged is the {@link Acknowledging} given.
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
    private final Map<String, EndpointInfo> endpoints = new TreeMap<>();
    private final AtomicBoolean acking = new AtomicBoolean();
    private final AtomicLong wanted = new AtomicLong(-1);
    private volatile long lastAck;
    private volatile boolean closed;
    private volatile @Nullable EventStream stream;
    private long revision = -1;

    private ServiceWatch(
            WharfClient client,
            String namespace,
            String service,
            String watcher,
            Acknowledging acknowledging,
            Duration ackGap,
            ScheduledExecutorService timer,
            Handler handler) {
        this.timer = Objects.requireNonNull(timer, "timer");
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
     * Starts following {@code namespace/service} as {@code watcher} on a thread from {@code threads}.
     *
     * @param ackGap the least time between two acknowledgements (zero for none)
     * @param timer where acknowledgements held back by the gap, or retried, are scheduled; the caller's, so
     *     that no thread of the JDK's is started on its behalf
     */
    public static ServiceWatch start(
            WharfClient client,
            String namespace,
            String service,
            String watcher,
            Acknowledging acknowledging,
            Duration ackGap,
            ThreadFactory threads,
            ScheduledExecutorService timer,
            Handler handler) {
        ServiceWatch w = new ServiceWatch(client, namespace, service, watcher, acknowledging, ackGap, timer, handler);
        threads.newThread(w::run).start();
        return w;
    }

    /** How the registry knows this watch among the service's watchers. */
    public String watcher() {
        return watcher;
    }

    private void run() {
        long wait = RETRY_MIN.toMillis();
        while (!closed) {
            try {
                if (stream()) wait = RETRY_MIN.toMillis();
            } catch (ApiException e) {
                log.log(Level.WARNING, "cannot follow " + namespace + "/" + service + ": " + e.getMessage());
            } catch (ClientException | IOException e) {
                if (!closed) log.log(Level.DEBUG, "watch of " + namespace + "/" + service + " broke: " + e);
            }
            if (closed) return;
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                return;
            }
            wait = Math.min(RETRY_MAX.toMillis(), wait * 2);
        }
    }

    /** Reads one stream to its end; true if it delivered anything. */
    private boolean stream() throws IOException {
        try (EventStream s = client.registry().watch(namespace, service, Optional.of(watcher), revision, true)) {
            stream = s;
            if (closed) return false;
            boolean delivered = false;
            Optional<WatchEvent> e;
            while ((e = s.next()).isPresent()) {
                if (!apply(e.get())) return delivered;
                delivered = true;
            }
            return delivered;
        }
    }

    /** Applies one event; false when the stream must start again from a snapshot. */
    private boolean apply(WatchEvent e) {
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
        if (closed) return false;
        handler.endpoints(revision, new ArrayList<>(endpoints.values()));
        if (acknowledging == Acknowledging.EVERY_REVISION || e.kind() != WatchEvent.Kind.PUT) acknowledge(revision);
        return true;
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
            return;
        }
        try {
            timer.schedule(this::sendAck, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            acking.set(false);
        }
    }

    /** Stops following: the stream is closed, and no acknowledgement goes out after. */
    @Override
    public void close() {
        closed = true;
        EventStream s = stream;
        if (s != null) s.close();
    }
}
