package io.wharf.sdk.nativeregistry;

import io.wharf.client.ApiException;
import io.wharf.client.ClientException;
import io.wharf.client.EventStream;
import io.wharf.client.WatchEvent;
import io.wharf.client.WharfClient;
import io.wharf.client.sdk.Instance;
import io.wharf.client.sdk.spi.RegistryInterface.Listener;
import io.wharf.client.wire.EndpointInfo;
import io.wharf.client.wire.EndpointState;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * One followed service of a {@link NativeRegistryInterface}: its event stream as an acknowledging watcher,
 * resumed after a break from the last revision applied, each list handed to the listener in order.
 */
final class ServiceFollower {
    private static final System.Logger log = System.getLogger(ServiceFollower.class.getName());
    private static final Duration RETRY_MIN = Duration.ofMillis(100);
    private static final Duration RETRY_MAX = Duration.ofSeconds(2);
    /** The least time between two acknowledgements of one subscription. */
    static final Duration ACK_GAP = Duration.ofMillis(100);

    private final String namespace;
    private final String service;
    private final String watcher;
    private final Listener listener;
    private final Map<String, Instance> instances = new TreeMap<>();
    private final AtomicBoolean acking = new AtomicBoolean();
    private final AtomicLong wanted = new AtomicLong(-1);
    private volatile long lastAck = System.nanoTime() - ACK_GAP.toNanos();
    private volatile boolean stopped;
    private volatile @Nullable EventStream stream;
    private long revision = -1;

    private final WharfClient client;
    private final ScheduledExecutorService timer;

    ServiceFollower(
            WharfClient client,
            ScheduledExecutorService timer,
            String namespace,
            String service,
            String watcher,
            Listener listener) {
        this.client = client;
        this.timer = timer;
        this.namespace = namespace;
        this.service = service;
        this.watcher = watcher;
        this.listener = listener;
    }

    void run() {
        long wait = RETRY_MIN.toMillis();
        while (!stopped) {
            try {
                if (stream()) wait = RETRY_MIN.toMillis();
            } catch (ApiException e) {
                log.log(Level.WARNING, "cannot follow " + namespace + "/" + service + ": " + e.getMessage());
            } catch (ClientException | IOException e) {
                if (!stopped) log.log(Level.DEBUG, "watch of " + namespace + "/" + service + " broke: " + e);
            }
            if (stopped) return;
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
            if (stopped) return false;
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
                instances.clear();
                for (EndpointInfo i : e.snapshot().orElseThrow().endpoints()) put(i);
                break;
            case PUT:
                if (e.revision() <= revision) return true; // told before the stream broke
                put(e.put().orElseThrow().endpoint());
                break;
            case DELETE:
                if (e.revision() <= revision) return true;
                instances.remove(e.delete().orElseThrow().id());
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
        if (stopped) return false;
        listener.instances(List.copyOf(instances.values()));
        // what waits on acknowledgements is a drain: until this view has let go of an endpoint that left the
        // registry. So the revisions that take endpoints away are acknowledged (a snapshot may too); a new or
        // changed endpoint is not, and a busy service's changes cost the server no requests. Acknowledgements
        // are cumulative: one for a removal covers every change before it.
        if (e.kind() != WatchEvent.Kind.PUT) acknowledge(revision);
        return true;
    }

    private void put(EndpointInfo e) {
        instances.put(
                e.id(),
                new Instance(
                        namespace,
                        service,
                        e.ip(),
                        e.port(),
                        e.version(),
                        e.weight(),
                        e.state() == EndpointState.UP,
                        e.metadata()));
    }

    /**
     * Tells the registry this revision is applied: one acknowledgement in flight at a time, always the
     * latest, and at most one per {@link #ACK_GAP} — a release's drain waits that much longer at most, while a
     * thousand views of a busy service do not send the server a thousand requests per change.
     */
    private void acknowledge(long r) {
        if (stopped) return;
        wanted.accumulateAndGet(r, Math::max);
        if (!acking.compareAndSet(false, true)) return;
        long wait = lastAck + ACK_GAP.toNanos() - System.nanoTime();
        if (wait > 0) {
            later(wait);
        } else {
            sendAck();
        }
    }

    private void sendAck() {
        if (stopped) return;
        long sending = wanted.get();
        lastAck = System.nanoTime();
        client.registry().acknowledge(namespace, service, watcher, sending).whenComplete((ok, err) -> {
            if (stopped) return;
            if (err != null) {
                later(TimeUnit.MILLISECONDS.toNanos(500));
            } else if (wanted.get() > sending) {
                long wait = Math.max(0, lastAck + ACK_GAP.toNanos() - System.nanoTime());
                later(wait);
            } else {
                acking.set(false);
                // a revision applied between the check and now would otherwise wait for the next one
                if (wanted.get() > sending) acknowledge(wanted.get());
            }
        });
    }

    /** Sends the latest acknowledgement after {@code nanos}, unless the interface is closing. */
    private void later(long nanos) {
        try {
            timer.schedule(this::sendAck, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            acking.set(false);
        }
    }

    void close() {
        stopped = true;
        EventStream s = stream;
        if (s != null) s.close();
    }
}
