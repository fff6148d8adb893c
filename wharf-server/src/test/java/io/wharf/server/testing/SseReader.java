package io.wharf.server.testing;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Reads a server-sent event stream on a thread of its own into a queue of events. */
public final class SseReader implements AutoCloseable {
    /** One event: its id (empty if none), name and data. */
    public record Event(String id, String name, String data) {}

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final HttpResponse<Stream<String>> response;
    private final Thread thread;

    public SseReader(Http http, String path, String... headers) throws Exception {
        HttpRequest.Builder req =
                http.request(path).header("Accept", "text/event-stream").GET();
        for (int i = 0; i < headers.length; i += 2) {
            req.header(headers[i], headers[i + 1]);
        }
        response = Http.client().send(req.build(), HttpResponse.BodyHandlers.ofLines());
        thread = Thread.ofVirtual().start(this::read);
    }

    public HttpResponse<Stream<String>> response() {
        return response;
    }

    private void read() {
        String id = "", name = "message";
        StringBuilder data = new StringBuilder();
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new Event(id, name, data.toString()));
                    }
                    id = "";
                    name = "message";
                    data.setLength(0);
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
        } catch (RuntimeException closed) {
            // stream closed by close() or by the server
        }
        events.add(new Event("", "eof", ""));
    }

    /** The next event, or fails after 5 s. */
    public Event next() throws InterruptedException {
        Event e = events.poll(5, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("no event within 5 s");
        }
        return e;
    }

    /** The next event if one arrives within {@code millis}. */
    public Event poll(long millis) throws InterruptedException {
        return events.poll(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        response.body().close();
        thread.interrupt();
    }
}
