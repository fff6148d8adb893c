package io.wharf.client;

import io.wharf.client.wire.EndpointDeleted;
import io.wharf.client.wire.EndpointPut;
import io.wharf.client.wire.Resync;
import io.wharf.client.wire.ServiceEndpoints;
import java.io.IOException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A watch's server-sent events put together from its lines: {@code event:} and {@code data:} lines up to a blank
 * one make an event. Keep-alive comments and events of kinds this client does not know are skipped. Not
 * thread-safe: one per stream, fed in order.
 */
final class WatchLines {
    private @Nullable String event;
    private final StringBuilder data = new StringBuilder();

    /**
     * Takes the stream's next line; the event it ends, if it ends one.
     *
     * @throws IOException if an event's data is not what its kind has
     */
    Optional<WatchEvent> line(String line) throws IOException {
        if (line.isEmpty()) {
            String kind = event;
            event = null;
            Optional<WatchEvent> e = kind == null ? Optional.empty() : decode(kind, data.toString());
            data.setLength(0);
            return e;
        }
        if (line.startsWith("event:")) {
            event = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
            data.append(line, 5, line.length());
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
}
