package io.wharf.client;

import io.wharf.client.wire.EndpointDeleted;
import io.wharf.client.wire.EndpointPut;
import io.wharf.client.wire.Resync;
import io.wharf.client.wire.ServiceEndpoints;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A service's watch as server-sent events, read one event at a time on the caller's thread. Closing it (from
 * any thread) ends a read that waits.
 */
public final class EventStream implements AutoCloseable {
    private final InputStream body;
    private final BufferedReader in;
    private final String watcher;

    EventStream(InputStream body, String watcher) {
        this.body = body;
        this.in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        this.watcher = watcher;
    }

    /** The watcher id the server knows this stream by. */
    public String watcher() {
        return watcher;
    }

    /**
     * The next event, waiting for it; empty when the stream ended. Keep-alive comments and unknown events are
     * skipped.
     *
     * @throws IOException if the connection broke
     */
    public Optional<WatchEvent> next() throws IOException {
        String event = null;
        StringBuilder data = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isEmpty()) {
                if (event != null) {
                    Optional<WatchEvent> e = decode(event, data.toString());
                    if (e.isPresent()) return e;
                }
                event = null;
                data.setLength(0);
            } else if (line.startsWith("event:")) {
                event = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5).trim());
            }
        }
        return Optional.empty();
    }

    private static Optional<WatchEvent> decode(String event, String data) throws IOException {
        switch (event) {
            case "snapshot":
                return Optional.of(WatchEvent.snapshot(Transport.JSON.readValue(data, ServiceEndpoints.class)));
            case "put":
                return Optional.of(WatchEvent.put(Transport.JSON.readValue(data, EndpointPut.class)));
            case "delete":
                return Optional.of(WatchEvent.delete(Transport.JSON.readValue(data, EndpointDeleted.class)));
            case "resync":
                return Optional.of(WatchEvent.resync(Transport.JSON.readValue(data, Resync.class)));
            default:
                return Optional.empty();
        }
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
