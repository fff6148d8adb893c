package io.wharf.cli;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Steady load through a load balancer from four clients (or one paced client), counting what was served and what
 * failed, and which instances answered.
 */
final class Load implements AutoCloseable {
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicBoolean loading = new AtomicBoolean(true);
    private final AtomicInteger served = new AtomicInteger();
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Set<String> instances = ConcurrentHashMap.newKeySet();

    private Load(URI uri, int clients, Duration pause) {
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> get(uri).statusCode() == 200);
        for (int i = 0; i < clients; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                while (loading.get()) {
                    try {
                        HttpResponse<String> r = get(uri);
                        if (r.statusCode() == 200) {
                            served.incrementAndGet();
                            Matcher m = INSTANCE.matcher(r.body());
                            if (m.find()) instances.add(m.group(1));
                        } else {
                            failures.add(r.statusCode() + " " + r.body());
                        }
                        if (!pause.isZero()) Thread.sleep(pause);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            }));
        }
    }

    private static final Pattern INSTANCE = Pattern.compile("\"instance\":\"([^\"]+)\"");

    /** Starts the load once {@code url} answers 200. */
    static Load start(String url) {
        return new Load(URI.create(url), 4, Duration.ZERO);
    }

    /**
     * Starts one client that sends about {@code perSecond} requests a second, waiting after each answer (a stall is
     * never made up for with a burst).
     */
    static Load paced(String url, int perSecond) {
        return new Load(URI.create(url), 1, Duration.ofMillis(1000 / perSecond));
    }

    /** The instances that answered since the last {@link #forgetInstances}. */
    Set<String> instances() {
        return Set.copyOf(instances);
    }

    void forgetInstances() {
        instances.clear();
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Requests served with 200 so far. */
    int ok() {
        return served.get();
    }

    /** Every request that failed: its status and body, or its exception. */
    List<String> failures() {
        return List.copyOf(failures);
    }

    /** Stops the load and waits for the requests in flight. */
    @Override
    public void close() throws InterruptedException {
        loading.set(false);
        for (Thread t : threads) t.join();
    }
}
