package io.wharf.intake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.wharf.client.wire.FieldError;
import io.wharf.client.wire.Problem;
import io.wharf.client.wire.Wire;
import io.wharf.core.InvalidInputException;
import io.wharf.core.intake.SendStamp;
import io.wharf.intake.log.IntakeLog;
import io.wharf.store.IntakeResultRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One intake instance of a service (claims 002.2, 002.3, 002.6): takes a client's request, stamps it ({@link
 * SendStamp}: the client's {@code Wharf-Sent-At} within bounds, else its arrival), appends it to its own
 * partition of the intake log and, once the log has confirmed it, holds the client until its result is stored
 * and answers with it — past {@code timeout}, or at once with {@code Prefer: respond-async}, {@code 202} and
 * {@code Location: /results/ID}, where the result is fetched later. Nothing is acknowledged before the log has
 * it; a log that cannot take it gets the client a {@code 503} with {@code Retry-After}. With nothing to append
 * it appends its clock every {@link #HEARTBEAT}, so that the sequencer's watermark moves.
 */
public final class IntakeNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IntakeNode.class);
    static final Duration HEARTBEAT = Duration.ofMillis(20);
    /** The largest request body taken. */
    public static final int MAX_BODY = 1 << 20;
    /** The header that orders requests one after another, by default. */
    public static final String ORDER_KEY = "Wharf-Order-Key";

    /**
     * How an intake instance works.
     *
     * @param service the service it is in front of (its log partitions are named after it)
     * @param intake this instance's name, unique among the service's intakes
     * @param maxDelay how far before its arrival a request's stamp may be
     * @param clockTolerance how far after its arrival a request's stamp may be
     * @param orderKeyHeader the header whose value orders requests one after another
     * @param timeout how long a client is held for its result before a {@code 202}
     */
    public record Settings(
            String service,
            String intake,
            Duration maxDelay,
            Duration clockTolerance,
            String orderKeyHeader,
            Duration timeout) {}

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Settings settings;
    private final IntakeLog logs;
    private final Results results;
    private final LongSupplier clockMicros;
    private final HttpServer http;
    private final String partition;
    private final AtomicLong seq;
    private final Thread beat;
    private volatile long lastAppendNanos = System.nanoTime();
    private volatile boolean running = true;

    private IntakeNode(
            Settings settings, IntakeLog logs, Results results, LongSupplier clockMicros, InetSocketAddress listen)
            throws IOException {
        this.settings = settings;
        this.logs = logs;
        this.results = results;
        this.clockMicros = clockMicros;
        this.partition = Sequencer.inPartition(settings.service(), settings.intake());
        // numbering goes on after what its partition holds: ids stay unique across restarts
        this.seq = new AtomicLong(logs.end(partition));
        this.http = HttpServer.create(listen, 4096);
        this.http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        this.http.createContext("/", this::handle);
        this.beat = Thread.ofVirtual()
                .name("wharf-intake-beat-" + settings.intake())
                .unstarted(this::beat);
    }

    /** Starts an intake instance listening on {@code listen}. */
    public static IntakeNode start(
            Settings settings, IntakeLog logs, Results results, LongSupplier clockMicros, InetSocketAddress listen)
            throws IOException {
        IntakeNode n = new IntakeNode(settings, logs, results, clockMicros, listen);
        n.http.start();
        n.beat.start();
        log.info("intake {} of {} listening on {}", settings.intake(), settings.service(), n.address());
        return n;
    }

    /** Where it listens. */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    private void beat() {
        while (running) {
            try {
                Thread.sleep(HEARTBEAT);
            } catch (InterruptedException e) {
                return;
            }
            if (System.nanoTime() - lastAppendNanos >= HEARTBEAT.toNanos()) {
                logs.append(
                        partition,
                        IntakeRecord.encode(new IntakeRecord.Heartbeat(settings.intake(), clockMicros.getAsLong())));
            }
        }
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            long arrived = clockMicros.getAsLong();
            String path = x.getRequestURI().getRawPath();
            if (x.getRequestMethod().equals("GET") && path.startsWith("/results/")) {
                result(x, path.substring("/results/".length()));
                return;
            }
            SendStamp stamp;
            try {
                stamp = SendStamp.of(
                        x.getRequestHeaders().getFirst(SendStamp.HEADER),
                        arrived,
                        settings.maxDelay(),
                        settings.clockTolerance());
            } catch (InvalidInputException e) {
                problem(
                        x,
                        400,
                        "Invalid input",
                        e.getMessage(),
                        e.violations().get(0).field(),
                        e.getMessage());
                return;
            }
            byte[] body;
            try (InputStream in = x.getRequestBody()) {
                body = in.readNBytes(MAX_BODY + 1);
            }
            if (body.length > MAX_BODY) {
                problem(x, 413, "Request too large", "a body of more than " + MAX_BODY + " bytes", "body", null);
                return;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            x.getRequestHeaders().forEach((k, v) -> {
                if (!v.isEmpty()) headers.put(k, v.get(0));
            });
            String query = x.getRequestURI().getRawQuery();
            long n = seq.getAndIncrement();
            // unguessable: the id is what fetches the result
            String id = settings.intake() + "-" + n + "-" + HexFormat.of().toHexDigits(RANDOM.nextLong());
            String key = Optional.ofNullable(x.getRequestHeaders().getFirst(settings.orderKeyHeader()))
                    .orElse("");
            IntakeRecord.Request request = new IntakeRecord.Request(
                    id,
                    settings.intake(),
                    n,
                    stamp.sentMicros(),
                    arrived,
                    stamp.clamped(),
                    key,
                    x.getRequestMethod(),
                    path + (query == null ? "" : "?" + query),
                    headers,
                    body);
            var waiting = results.expect(id);
            try {
                lastAppendNanos = System.nanoTime();
                logs.append(partition, IntakeRecord.encode(request)).get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                results.forget(id);
                x.getResponseHeaders().set("Retry-After", "1");
                problem(x, 503, "Intake unavailable", "the intake log did not take the request: " + e, null, null);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                results.forget(id);
                return;
            }
            x.getResponseHeaders().set("Wharf-Request-Id", id);
            x.getResponseHeaders().set(SendStamp.HEADER, Long.toString(stamp.sentMicros()));
            if (stamp.clamped())
                x.getResponseHeaders().set("Wharf-Stamp", stamp.how().name().toLowerCase(Locale.ROOT));
            boolean async = Optional.ofNullable(x.getRequestHeaders().getFirst("Prefer"))
                    .map(p -> p.toLowerCase(Locale.ROOT).contains("respond-async"))
                    .orElse(false);
            if (!async) {
                try {
                    answer(x, waiting.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS));
                    return;
                } catch (TimeoutException e) {
                    // accepted, not done yet: the client comes back for it
                } catch (ExecutionException e) {
                    log.warn("waiting for {} failed: {}", id, e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            results.forget(id);
            x.getResponseHeaders().set("Location", "/results/" + id);
            x.sendResponseHeaders(202, -1);
        }
    }

    private void result(HttpExchange x, String id) throws IOException {
        Optional<IntakeResultRecord> r = results.get(id);
        if (r.isPresent()) {
            answer(x, r.get());
        } else {
            problem(x, 404, "Not found", "no result for request " + id + " (yet)", null, null);
        }
    }

    private static void answer(HttpExchange x, IntakeResultRecord r) throws IOException {
        if (!r.contentType().isEmpty()) x.getResponseHeaders().set("Content-Type", r.contentType());
        x.getResponseHeaders().set("Wharf-Request-Id", r.id());
        if (r.late()) x.getResponseHeaders().set("Wharf-Late", "true");
        x.sendResponseHeaders(r.status(), r.body().length == 0 ? -1 : r.body().length);
        if (r.body().length > 0) {
            try (OutputStream out = x.getResponseBody()) {
                out.write(r.body());
            }
        }
    }

    private static void problem(HttpExchange x, int status, String title, String detail, String field, String reason)
            throws IOException {
        byte[] body = Wire.mapper()
                .writeValueAsBytes(new Problem(
                        "about:blank",
                        title,
                        status,
                        detail,
                        x.getRequestURI().getPath(),
                        field,
                        reason,
                        field == null ? null : List.of(new FieldError(field, reason == null ? detail : reason))));
        x.getResponseHeaders().set("Content-Type", "application/problem+json");
        x.sendResponseHeaders(status, body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        running = false;
        beat.interrupt();
        http.stop(0);
    }
}
