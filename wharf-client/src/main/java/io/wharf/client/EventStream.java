package io.wharf.client;

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
    private final WatchLines lines = new WatchLines();

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
        String line;
        while ((line = in.readLine()) != null) {
            Optional<WatchEvent> e = lines.line(line);
            if (e.isPresent()) return e;
        }
        return Optional.empty();
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
