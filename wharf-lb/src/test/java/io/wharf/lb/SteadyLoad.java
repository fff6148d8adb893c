package io.wharf.lb;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Clients sending {@code GET}s to a load balancer one after another until closed: what answered 200, what did not. */
public final class SteadyLoad implements AutoCloseable {
    public final AtomicLong ok = new AtomicLong();
    public final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> clients = new ArrayList<>();

    private SteadyLoad() {}

    /** Starts {@code clients} clients on {@code http} asking for {@code uri}. */
    public static SteadyLoad start(HttpClient http, URI uri, int clients) {
        SteadyLoad load = new SteadyLoad();
        HttpRequest req =
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
        for (int c = 0; c < clients; c++) {
            load.clients.add(Thread.ofVirtual().start(() -> {
                while (load.running.get()) {
                    try {
                        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) load.ok.incrementAndGet();
                        else load.failures.add(r.statusCode() + " " + r.body());
                    } catch (Exception e) {
                        load.failures.add(e.toString());
                    }
                }
            }));
        }
        return load;
    }

    /** Waits until {@code n} more requests have been answered, however fast the machine. */
    public void awaitMore(long n) {
        long before = ok.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> ok.get() >= before + n);
    }

    /** Stops the clients and waits for their last requests. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : clients) t.join();
    }
}
