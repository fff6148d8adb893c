package io.wharf.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/** An open-loop load: RATE requests/s, each sent when due, whatever the answers before it did. */
final class OpenLoad implements AutoCloseable {
    /** Every request sent. */
    final AtomicLong sent = new AtomicLong();
    /** Where requests are counted, by when they were sent ({@link #countIn}). */
    private volatile Tally tally = new Tally();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final HttpRequest request;
    private final Thread pacer;
    private final AtomicLong outstanding = new AtomicLong();
    private volatile boolean running = true;

    private final Consumer<String> bodies;

    OpenLoad(URI uri, int rate) {
        this(uri, rate, body -> {});
    }

    /** As {@link #OpenLoad(URI, int)}, handing every answered body to {@code bodies}. */
    OpenLoad(URI uri, int rate, Consumer<String> bodies) {
        this.bodies = bodies;
        this.request =
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build();
        long interval = 1_000_000_000L / rate;
        this.pacer = Thread.ofPlatform().name("load").start(() -> {
            long next = System.nanoTime();
            while (running) {
                long now = System.nanoTime();
                while (next <= now && running) {
                    fire(next);
                    next += interval;
                }
                LockSupport.parkNanos(next - System.nanoTime());
            }
        });
    }

    /** What has been counted since the load began, or since the last {@link #countIn}. */
    Tally tally() {
        return tally;
    }

    /** Counts the requests sent from now on in {@code t}. */
    void countIn(Tally t) {
        tally = t;
    }

    private void fire(long due) {
        Tally t = tally;
        sent.incrementAndGet();
        t.sent.incrementAndGet();
        outstanding.incrementAndGet();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
            t.latency.recordValue(Math.max(1, (System.nanoTime() - due) / 1000));
            if (e == null && r.statusCode() == 200) bodies.accept(r.body());
            if (e != null || r.statusCode() != 200) {
                t.failed.incrementAndGet();
                if (t.failures.size() < 10) t.failures.add(e != null ? e.toString() : r.statusCode() + " " + r.body());
            }
            outstanding.decrementAndGet();
        });
    }

    /** Stops sending and waits for every answer. */
    void stop() throws InterruptedException {
        running = false;
        pacer.join();
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (outstanding.get() > 0 && System.nanoTime() < until) Thread.sleep(10);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
