package io.wharf.lb;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.client.wire.EndpointState;
import io.wharf.core.registry.EndpointId;
import io.wharf.core.registry.ServiceKey;
import io.wharf.lb.balance.BackendSet.Member;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows services through the registry's server-sent events (a snapshot, then each change), resuming
 * after a broken stream from the last revision applied, and acknowledges every revision once the load
 * balancer has applied it — as one watcher per load balancer, so a release can wait for it.
 */
public final class RegistryFeed implements EndpointFeed {
    private static final Logger log = LoggerFactory.getLogger(RegistryFeed.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RETRY_MIN = Duration.ofMillis(100);
    private static final Duration RETRY_MAX = Duration.ofSeconds(2);

    private final String base;
    private final String token;
    private final String watcherId;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /**
     * @param server the server's base URL
     * @param token a token the server accepts for acknowledgements (an agent's join token, or the admin's)
     * @param watcherId how this load balancer is known among the service's watchers, e.g. {@code lb@host}
     */
    public RegistryFeed(String server, String token, String watcherId) {
        this.base = requireNonNull(server, "server").replaceAll("/+$", "");
        this.token = requireNonNull(token, "token");
        this.watcherId = requireNonNull(watcherId, "watcherId");
    }

    public String watcherId() {
        return watcherId;
    }

    @Override
    public AutoCloseable follow(ServiceKey service, Listener listener) {
        Follower f = new Follower(service, listener);
        Thread.ofVirtual().name("wharf-lb-feed-" + service).start(f::run);
        return f::close;
    }

    private final class Follower {
        private final ServiceKey key;
        private final Listener listener;
        private final String path;
        private final Map<EndpointId, Member> endpoints = new TreeMap<>();
        private final AtomicBoolean acking = new AtomicBoolean();
        private final AtomicLong wanted = new AtomicLong(-1);
        private volatile boolean closed;
        private volatile @Nullable InputStream body;
        private long revision = -1;

        Follower(ServiceKey key, Listener listener) {
            this.key = key;
            this.listener = listener;
            this.path = "/v1/namespaces/" + enc(key.namespace()) + "/services/" + enc(key.service());
        }

        void run() {
            Duration wait = RETRY_MIN;
            while (!closed) {
                try {
                    if (stream()) wait = RETRY_MIN;
                } catch (IOException e) {
                    if (!closed) log.debug("feed of {} broke: {}", key, e.toString());
                } catch (InterruptedException e) {
                    return;
                }
                if (closed) return;
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
                wait = wait.multipliedBy(2).compareTo(RETRY_MAX) > 0 ? RETRY_MAX : wait.multipliedBy(2);
            }
        }

        /** Reads one stream to its end; true if it delivered anything. */
        private boolean stream() throws IOException, InterruptedException {
            String uri =
                    base + path + "/endpoints?watcher=" + enc(watcherId) + (revision >= 0 ? "&since=" + revision : "");
            HttpRequest req = HttpRequest.newBuilder(URI.create(uri))
                    .header("Accept", "text/event-stream")
                    .header("Authorization", "Bearer " + token)
                    .build();
            HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            body = r.body();
            if (closed) {
                r.body().close();
                return false;
            }
            if (r.statusCode() != 200) {
                String why = new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
                log.warn("cannot follow {}: HTTP {} {}", key, r.statusCode(), why);
                return false;
            }
            boolean delivered = false;
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                String event = null;
                StringBuilder data = new StringBuilder();
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.isEmpty()) {
                        if (event != null) {
                            if (!dispatch(event, data.toString())) return delivered;
                            delivered = true;
                        }
                        event = null;
                        data.setLength(0);
                    } else if (line.startsWith("event:")) {
                        event = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).trim());
                    }
                }
            }
            return delivered;
        }

        /** Applies one event; false when the stream must start again from a snapshot. */
        private boolean dispatch(String event, String data) throws IOException {
            JsonNode json = JSON.readTree(data);
            switch (event) {
                case "snapshot" -> {
                    endpoints.clear();
                    json.path("endpoints").forEach(e -> put(e));
                }
                case "put" -> put(json.path("endpoint"));
                case "delete" ->
                    endpoints.remove(EndpointId.parse(json.path("id").asText()));
                case "resync" -> {
                    log.info(
                            "feed of {} must start again: {}",
                            key,
                            json.path("reason").asText());
                    revision = -1;
                    return false;
                }
                default -> {
                    return true;
                }
            }
            revision = json.path("revision").asLong(revision);
            listener.update(revision, List.copyOf(endpoints.values()));
            acknowledge(revision);
            return true;
        }

        private void put(JsonNode e) {
            EndpointId id = EndpointId.parse(e.path("id").asText());
            endpoints.put(
                    id,
                    new Member(
                            id,
                            EndpointState.valueOf(e.path("state").asText("UP")),
                            e.path("weight").asInt(1)));
        }

        /** Tells the registry this revision is applied; one acknowledgement in flight at a time, the latest. */
        private void acknowledge(long r) {
            wanted.accumulateAndGet(r, Math::max);
            if (!acking.compareAndSet(false, true)) return;
            long sending = wanted.get();
            HttpRequest req = HttpRequest.newBuilder(URI.create(base + path + "/watchers/" + enc(watcherId) + "/ack"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(5))
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"revision\":" + sending + "}"))
                    .build();
            http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((resp, err) -> {
                boolean failed = err != null || resp.statusCode() >= 300;
                if (failed) {
                    log.debug(
                            "acknowledging {} of {} failed: {}",
                            sending,
                            key,
                            err != null ? err.toString() : "HTTP " + resp.statusCode());
                }
                acking.set(false);
                if (closed) return;
                if (failed) {
                    CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS)
                            .execute(() -> acknowledge(wanted.get()));
                } else if (wanted.get() > sending) {
                    acknowledge(wanted.get());
                }
            });
        }

        void close() {
            closed = true;
            InputStream b = body;
            if (b != null) {
                try {
                    b.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
