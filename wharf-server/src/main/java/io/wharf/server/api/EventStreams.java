package io.wharf.server.api;

import io.javalin.http.Context;
import io.wharf.core.registry.ServiceKey;
import io.wharf.server.registry.ChangeEvent;
import io.wharf.server.registry.Registry;
import io.wharf.server.registry.Snapshot;
import io.wharf.server.registry.Watcher;
import io.wharf.server.registry.Watchers;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-sent event streams of a service's changes. Each stream is served by its request's own (virtual)
 * thread, which takes events from the watcher's bounded buffer and writes them; the registry only ever
 * offers to the buffer, so a slow client costs nobody else anything. A change is framed as an event once, and
 * the same bytes are written to every stream.
 *
 * <p>Events: {@code snapshot} (the whole service), {@code put}, {@code delete}, each with the revision as
 * its SSE id, so a client resumes with {@code ?since=} or {@code Last-Event-ID}; and {@code resync} when the
 * watcher was cut off and must start again without {@code since}.
 */
final class EventStreams {
    private static final Logger log = LoggerFactory.getLogger(EventStreams.class);

    private final Registry registry;
    private final Duration keepAlive;
    private final Set<Watchers.StreamStart> open = ConcurrentHashMap.newKeySet();

    EventStreams(Registry registry, Duration keepAlive) {
        this.registry = registry;
        this.keepAlive = keepAlive;
    }

    void stream(Context ctx, ServiceKey key) throws InterruptedException {
        long since = Params.revision(ctx, "since")
                .or(() -> Optional.ofNullable(ctx.header("Last-Event-ID"))
                        .filter(s -> s.matches("\\d{1,18}"))
                        .map(Long::parseLong))
                .orElse(-1L);
        Optional<String> named = Optional.ofNullable(ctx.queryParam("watcher"));
        String id = named.orElseGet(
                () -> "w-" + Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE));
        Watchers.StreamStart start =
                registry.watchers().openStream(key, id, since, named.isPresent() && acknowledges(ctx));
        open.add(start);
        try {
            ctx.status(200)
                    .contentType("text/event-stream")
                    .header("Cache-Control", "no-cache")
                    .header("X-Wharf-Watcher", id);
            OutputStream out = ctx.res().getOutputStream();
            Optional<Snapshot> snapshot = start.snapshot();
            if (snapshot.isPresent()) {
                write(out, snapshot.get().revision(), "snapshot", snapshot.get().encoded(Views::encode));
            }
            for (ChangeEvent e : start.replay()) {
                out.write(e.encoded(EventStreams::frame));
            }
            out.flush();
            pump(start.stream(), out);
        } catch (Watcher.CutOffException e) {
            log.info("watcher cut off service={} watcher={} reason=\"{}\"", key, id, e.getMessage());
            writeQuietly(ctx, "resync", Json.write(Map.of("reason", e.getMessage())));
        } catch (IOException e) {
            log.debug("watcher disconnected service={} watcher={}", key, id);
        } finally {
            open.remove(start);
            registry.watchers().closeStream(start);
        }
    }

    /** Whether the request declares that its watcher acknowledges ({@code acknowledge=true}). */
    static boolean acknowledges(Context ctx) {
        return Params.flag(ctx, "acknowledge");
    }

    private void pump(Watcher.Stream stream, OutputStream out) throws IOException, InterruptedException {
        while (true) {
            ChangeEvent e = stream.poll(keepAlive.toMillis());
            if (e == null) {
                out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
            } else {
                out.write(e.encoded(EventStreams::frame));
                registry.metrics().delivered(e);
            }
            out.flush();
        }
    }

    /** A change as its whole server-sent event, framed once and shared by every stream that sends it. */
    private static byte[] frame(ChangeEvent e) {
        byte[] head = ("id: " + e.revision() + "\nevent: " + Views.eventName(e) + "\ndata: ")
                .getBytes(StandardCharsets.UTF_8);
        byte[] data = Views.encodeEvent(e);
        byte[] frame = new byte[head.length + data.length + 2];
        System.arraycopy(head, 0, frame, 0, head.length);
        System.arraycopy(data, 0, frame, head.length, data.length);
        frame[frame.length - 2] = '\n';
        frame[frame.length - 1] = '\n';
        return frame;
    }

    private static void write(OutputStream out, long id, String event, byte[] data) throws IOException {
        out.write(("id: " + id + "\nevent: " + event + "\ndata: ").getBytes(StandardCharsets.UTF_8));
        out.write(data);
        out.write("\n\n".getBytes(StandardCharsets.UTF_8));
    }

    private static void writeQuietly(Context ctx, String event, byte[] data) {
        try {
            OutputStream out = ctx.res().getOutputStream();
            out.write(("event: " + event + "\ndata: ").getBytes(StandardCharsets.UTF_8));
            out.write(data);
            out.write("\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException ignored) {
            // the client is gone; it will resync when it reconnects
        }
    }

    /** Ends every open stream with a resync signal, for shutdown. */
    void closeAll() {
        for (Watchers.StreamStart s : open) {
            registry.watchers().cutOff(s, "server shutting down");
        }
    }
}
