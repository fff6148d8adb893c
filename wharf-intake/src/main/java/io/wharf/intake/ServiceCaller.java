package io.wharf.intake;

import io.wharf.core.registry.ServiceKey;
import io.wharf.store.IntakeResultRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the dispatcher hands each ordered request to (claims 002.5, 002.6): unless its result is stored already
 * (a request is never applied twice), it calls an endpoint of the service — taken in turn from what the
 * registry lists — times the call, and stores the answer with every time the request passed. An endpoint that
 * refuses the connection is skipped for the next (the request never reached it); with no endpoint, or none
 * taking it, the request is not processed and the dispatcher hands it over again later, its key waiting. One
 * that fails after the request was sent gives a stored failure ({@code 502}, or {@code 504} past the
 * time-out), not a second try, since the service may have acted on it.
 */
public final class ServiceCaller implements Dispatcher.Handler {
    private static final Logger log = LoggerFactory.getLogger(ServiceCaller.class);
    /** Headers not passed on to the service: the connection's own. */
    private static final Set<String> HOP = Set.of(
            "connection", "content-length", "host", "transfer-encoding", "upgrade", "expect", "keep-alive", "te");

    private final ServiceKey service;
    private final Supplier<List<String>> endpoints;
    private final Results results;
    private final HttpClient http;
    private final Duration timeout;
    private final LongSupplier clockMicros;
    private final AtomicInteger turn = new AtomicInteger();
    private static final java.util.concurrent.Executor LOOKUPS =
            java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
    private final Replies replies;

    /** Tells the intake instance holding a request's client that its result is stored. */
    @FunctionalInterface
    public interface Replies {
        /** Completes once the intake instance of {@code request} can hear of {@code stored}. */
        CompletableFuture<?> stored(IntakeRecord.Request request, IntakeResultRecord stored);

        /** For intake instances that share the dispatcher's {@link Results}: they hear of it there. */
        Replies SAME_PROCESS = (q, r) -> CompletableFuture.completedFuture(null);
    }

    /**
     * @param endpoints the service's endpoints as {@code ip:port}, as the registry lists them now
     * @param timeout how long one call may take
     */
    public ServiceCaller(
            ServiceKey service,
            Supplier<List<String>> endpoints,
            Results results,
            Duration timeout,
            LongSupplier clockMicros,
            Replies replies) {
        this.replies = replies;
        this.service = service;
        this.endpoints = endpoints;
        this.results = results;
        this.timeout = timeout;
        this.clockMicros = clockMicros;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /**
     * Runs its HTTP client's code on {@code uri} {@code times} times (answers and failures alike ignored), so that
     * a standby's first calls after it takes over are not its first ever: the JVM has loaded and compiled them.
     */
    public void warm(URI uri, int times) {
        for (int i = 0; i < times; i++) {
            try {
                http.send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
            } catch (java.io.IOException e) {
                log.debug("warming up on {}: {}", uri, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public CompletableFuture<Void> handle(IntakeRecord.Ordered o, boolean again) {
        if (again) {
            // looked up aside (the store may be slow), so that the keys handed over again go side by side
            return CompletableFuture.supplyAsync(() -> results.get(o.request().id()), LOOKUPS)
                    .thenCompose(stored -> stored.isPresent()
                            // stored before a failover: its intake may not have heard yet
                            ? reply(o.request(), stored.get())
                            : dispatch(o));
        }
        return dispatch(o);
    }

    private CompletableFuture<Void> dispatch(IntakeRecord.Ordered o) {
        long dispatched = clockMicros.getAsLong();
        return call(o, dispatched, 0).thenCompose(results::put).thenCompose(stored -> reply(o.request(), stored));
    }

    /**
     * Tells the request's intake; if that fails the request is still done (its result is stored, and its
     * client, after its time-out, fetches it with the id it was given).
     */
    private CompletableFuture<Void> reply(IntakeRecord.Request q, IntakeResultRecord stored) {
        return replies.stored(q, stored).handle((x, e) -> {
            if (e != null) log.warn("the intake of {} was not told of its result: {}", q.id(), e.toString());
            return null;
        });
    }

    private CompletableFuture<IntakeResultRecord> call(IntakeRecord.Ordered o, long dispatched, int tried) {
        List<String> all = endpoints.get();
        IntakeRecord.Request q = o.request();
        if (all.isEmpty() || tried >= all.size()) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    all.isEmpty()
                            ? "no endpoint of " + service + " is registered"
                            : "no endpoint of " + service + " took the connection"));
        }
        String endpoint = all.get(Math.floorMod(turn.getAndIncrement(), all.size()));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + endpoint + q.path()))
                .timeout(timeout)
                .method(q.method(), HttpRequest.BodyPublishers.ofByteArray(q.body()));
        q.headers().forEach((k, v) -> {
            if (!HOP.contains(k.toLowerCase(java.util.Locale.ROOT))) b.header(k, v);
        });
        b.setHeader("Wharf-Request-Id", q.id());
        b.setHeader("Wharf-Sent-At", Long.toString(q.sentMicros()));
        long started = clockMicros.getAsLong();
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, error) -> {
                    long ended = clockMicros.getAsLong();
                    if (error == null) {
                        return CompletableFuture.completedFuture(new IntakeResultRecord(
                                q.id(),
                                service,
                                response.statusCode(),
                                response.headers().firstValue("Content-Type").orElse(""),
                                response.body(),
                                o.late(),
                                q.clamped(),
                                q.sentMicros(),
                                q.arrivedMicros(),
                                o.orderedMicros(),
                                dispatched,
                                started,
                                ended));
                    }
                    Throwable cause =
                            error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
                    if (cause instanceof java.net.ConnectException) {
                        log.debug("endpoint {} of {} refused {}; the next", endpoint, service, q.id());
                        return call(o, dispatched, tried + 1);
                    }
                    boolean timedOut = cause instanceof HttpTimeoutException;
                    String why = (timedOut ? "timed out after " + timeout.toMillis() + " ms at " : "failed at ")
                            + endpoint + ": " + cause;
                    return CompletableFuture.completedFuture(
                            result(o, timedOut ? 504 : 502, why.getBytes(), dispatched, started, ended));
                })
                .thenCompose(f -> f);
    }

    private IntakeResultRecord result(
            IntakeRecord.Ordered o, int status, byte[] body, long dispatched, long started, long ended) {
        IntakeRecord.Request q = o.request();
        return new IntakeResultRecord(
                q.id(),
                service,
                status,
                "text/plain; charset=utf-8",
                body,
                o.late(),
                q.clamped(),
                q.sentMicros(),
                q.arrivedMicros(),
                o.orderedMicros(),
                dispatched,
                started,
                ended);
    }
}
