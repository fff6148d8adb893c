package io.wharf.server.api;

import io.wharf.core.registry.ServiceKey;
import io.wharf.server.registry.ChangeEvent;
import io.wharf.server.registry.Registry;
import io.wharf.server.registry.Snapshot;
import io.wharf.server.registry.Watcher;
import io.wharf.server.registry.Watchers;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-sent event streams of a service's changes, written without a thread per stream. The registry offers
 * each change to every watcher's bounded buffer and tells the stream it has something; a small fixed pool of
 * writers then takes what the buffer holds and starts a non-blocking write of it. A stream whose client reads
 * slowly has a write pending and takes nothing more until it completes, while its buffer fills up to its cut-off;
 * nobody waits for it. A change is framed as an event once, and the same bytes are written to every stream.
 *
 * <p>Events: {@code snapshot} (the whole service), {@code put}, {@code delete}, each with the revision as its SSE
 * id, so a client resumes with {@code ?since=} or {@code Last-Event-ID}; and {@code resync} when the watcher was
 * cut off and must start again without {@code since}. A stream that has had nothing to send for a while gets a
 * keep-alive comment, which is also how a client that went away is noticed.
 */
final class EventStreams implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventStreams.class);
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);
    /** At most this much of a buffer's events go out in one write. */
    private static final int MAX_WRITE_BYTES = 256 * 1024;

    private final Registry registry;
    private final Set<Sender> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService writers;
    private final ScheduledExecutorService keepAlives;

    EventStreams(Registry registry, Duration keepAlive) {
        this.registry = registry;
        // a fork-join pool: handing it a task from the registry's thread wakes a writer only when none is awake
        this.writers = new ForkJoinPool(
                Math.max(2, Runtime.getRuntime().availableProcessors()),
                pool -> {
                    ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                    t.setName("wharf-sse-" + t.getPoolIndex());
                    t.setDaemon(true);
                    return t;
                },
                null,
                true);
        this.keepAlives = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("wharf-sse-keep-alive").factory());
        // every stream that wrote nothing during the last half interval gets one: never silent longer than that
        long tick = Math.max(1, keepAlive.toMillis() / 2);
        keepAlives.scheduleWithFixedDelay(this::keepAlive, tick, tick, TimeUnit.MILLISECONDS);
    }

    /**
     * Opens watcher {@code named} (or a new anonymous one) on {@code key}, resuming after {@code since} when it is
     * not negative, and answers {@code request} with its stream; {@code callback} completes when the stream ends.
     */
    void open(
            Request request,
            Response response,
            Callback callback,
            ServiceKey key,
            long since,
            Optional<String> named,
            boolean acknowledges) {
        String id = named.orElseGet(
                () -> "w-" + Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE));
        Watchers.StreamStart start = registry.watchers().openStream(key, id, since, named.isPresent() && acknowledges);
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.getHeaders().put("X-Wharf-Watcher", id);
        Sender sender = new Sender(start, response, callback, key, id);
        open.add(sender);
        // the client went away, or the connection failed: the write pending (if any) fails, and the stream ends
        request.addFailureListener(sender::abort);
        start.stream().onReady(sender::wake);
        sender.wake();
    }

    private void keepAlive() {
        for (Sender s : open) {
            s.keepAliveIfQuiet();
        }
    }

    /** Ends every open stream with a resync signal, for shutdown. */
    @Override
    public void close() {
        for (Sender s : open) {
            registry.watchers().cutOff(s.start, "server shutting down");
        }
        keepAlives.shutdownNow();
        writers.shutdown();
        try {
            if (!writers.awaitTermination(2, TimeUnit.SECONDS)) {
                writers.shutdownNow();
            }
        } catch (InterruptedException e) {
            writers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One stream's writes, one at a time: {@link #process} takes what its buffer holds and starts writing it,
     * and runs again when that write has completed (Jetty's {@link IteratingCallback} keeps the turns).
     */
    private final class Sender extends IteratingCallback {
        private final Watchers.StreamStart start;
        private final Response response;
        private final Callback callback;
        private final ServiceKey key;
        private final String id;
        private final AtomicBoolean woken = new AtomicBoolean();
        private volatile boolean keepAliveDue;
        private volatile boolean wrote;
        private boolean begun;
        private boolean ending;

        Sender(Watchers.StreamStart start, Response response, Callback callback, ServiceKey key, String id) {
            this.start = start;
            this.response = response;
            this.callback = callback;
            this.key = key;
            this.id = id;
        }

        /** Has a writer take a turn; runs on the registry's thread, so it only hands the work on. */
        void wake() {
            if (woken.compareAndSet(false, true)) {
                try {
                    writers.execute(this::turn);
                } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                    abort(shuttingDown);
                }
            }
        }

        private void turn() {
            woken.set(false);
            iterate();
        }

        void keepAliveIfQuiet() {
            if (!wrote) {
                keepAliveDue = true;
                wake();
            }
            wrote = false;
        }

        @Override
        protected Action process() {
            if (ending) {
                return Action.SUCCEEDED;
            }
            byte[] out;
            try {
                out = pending();
            } catch (Watcher.CutOffException e) {
                log.info("watcher cut off service={} watcher={} reason=\"{}\"", key, id, e.getMessage());
                ending = true;
                response.write(
                        true,
                        ByteBuffer.wrap(event(null, "resync", Json.write(Map.of("reason", e.getMessage())))),
                        this);
                return Action.SCHEDULED;
            }
            if (out == null) {
                if (!keepAliveDue) {
                    return Action.IDLE;
                }
                out = KEEP_ALIVE;
            }
            keepAliveDue = false;
            wrote = true;
            response.write(false, ByteBuffer.wrap(out), this);
            return Action.SCHEDULED;
        }

        /** What there is to write now: at first the snapshot and the replay, then the buffer's events; or null. */
        private byte @Nullable [] pending() {
            ByteArrayOutputStream many = null;
            if (!begun) {
                begun = true;
                many = opening();
            }
            ChangeEvent e = start.stream().next();
            if (many == null) {
                if (e == null) {
                    return null;
                }
                ChangeEvent next = start.stream().next();
                if (next == null) {
                    return sent(e); // the usual case: one change, written as the bytes every stream shares
                }
                many = new ByteArrayOutputStream();
                many.writeBytes(sent(e));
                e = next;
            }
            while (e != null) {
                many.writeBytes(sent(e));
                e = many.size() < MAX_WRITE_BYTES ? start.stream().next() : null;
            }
            return many.size() == 0 ? null : many.toByteArray();
        }

        private ByteArrayOutputStream opening() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Optional<Snapshot> snapshot = start.snapshot();
            if (snapshot.isPresent()) {
                out.writeBytes(event(
                        snapshot.get().revision(), "snapshot", snapshot.get().encoded(Views::encode)));
            }
            for (ChangeEvent e : start.replay()) {
                out.writeBytes(e.encoded(EventStreams::frame));
            }
            return out;
        }

        private byte[] sent(ChangeEvent e) {
            registry.metrics().delivered(e);
            return e.encoded(EventStreams::frame);
        }

        @Override
        protected void onCompleteSuccess() {
            ended();
            callback.succeeded();
        }

        @Override
        protected void onCompleteFailure(Throwable cause) {
            log.debug("watcher disconnected service={} watcher={}", key, id);
            ended();
            callback.failed(cause);
        }

        private void ended() {
            open.remove(this);
            registry.watchers().closeStream(start);
        }
    }

    /** A change as its whole server-sent event, framed once and shared by every stream that sends it. */
    private static byte[] frame(ChangeEvent e) {
        return event(e.revision(), Views.eventName(e), Views.encodeEvent(e));
    }

    private static byte[] event(@Nullable Long id, String event, byte[] data) {
        byte[] head = ((id == null ? "" : "id: " + id + "\n") + "event: " + event + "\ndata: ")
                .getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[head.length + data.length + 2];
        System.arraycopy(head, 0, frame, 0, head.length);
        System.arraycopy(data, 0, frame, head.length, data.length);
        frame[frame.length - 2] = '\n';
        frame[frame.length - 1] = '\n';
        return frame;
    }
}
