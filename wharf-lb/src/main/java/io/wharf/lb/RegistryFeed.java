package io.wharf.lb;

import static java.util.Objects.requireNonNull;

import io.wharf.client.ApiException;
import io.wharf.client.ClientException;
import io.wharf.client.EventStream;
import io.wharf.client.WatchEvent;
import io.wharf.client.WharfClient;
import io.wharf.client.wire.EndpointInfo;
import io.wharf.core.registry.EndpointId;
import io.wharf.core.registry.ServiceKey;
import io.wharf.lb.balance.BackendSet.Member;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private static final Duration RETRY_MIN = Duration.ofMillis(100);
    private static final Duration RETRY_MAX = Duration.ofSeconds(2);

    private final WharfClient client;
    private final String watcherId;

    /**
     * @param client a client whose token the server accepts for acknowledgements (an agent's)
     * @param watcherId how this load balancer is known among the service's watchers, e.g. {@code lb@host}
     */
    public RegistryFeed(WharfClient client, String watcherId) {
        this.client = requireNonNull(client, "client");
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
        private final Map<EndpointId, Member> endpoints = new TreeMap<>();
        private final AtomicBoolean acking = new AtomicBoolean();
        private final AtomicLong wanted = new AtomicLong(-1);
        private volatile boolean closed;
        private volatile @Nullable EventStream stream;
        private long revision = -1;

        Follower(ServiceKey key, Listener listener) {
            this.key = key;
            this.listener = listener;
        }

        void run() {
            Duration wait = RETRY_MIN;
            while (!closed) {
                try {
                    if (stream()) wait = RETRY_MIN;
                } catch (ApiException e) {
                    log.warn("cannot follow {}: {}", key, e.getMessage());
                } catch (ClientException | IOException e) {
                    if (!closed) log.debug("feed of {} broke: {}", key, e.toString());
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
        private boolean stream() throws IOException {
            try (EventStream s =
                    client.registry().watch(key.namespace(), key.service(), Optional.of(watcherId), revision, true)) {
                stream = s;
                if (closed) return false;
                boolean delivered = false;
                Optional<WatchEvent> e;
                while ((e = s.next()).isPresent()) {
                    if (!apply(e.get())) return delivered;
                    delivered = true;
                }
                return delivered;
            }
        }

        /** Applies one event; false when the stream must start again from a snapshot. */
        private boolean apply(WatchEvent e) {
            switch (e.kind()) {
                case SNAPSHOT -> {
                    endpoints.clear();
                    e.snapshot().orElseThrow().endpoints().forEach(this::put);
                }
                case PUT -> put(e.put().orElseThrow().endpoint());
                case DELETE ->
                    endpoints.remove(EndpointId.parse(e.delete().orElseThrow().id()));
                case RESYNC -> {
                    log.info(
                            "feed of {} must start again: {}",
                            key,
                            e.resync().orElseThrow().reason());
                    revision = -1;
                    return false;
                }
            }
            revision = e.revision();
            listener.update(revision, List.copyOf(endpoints.values()));
            acknowledge(revision);
            return true;
        }

        private void put(EndpointInfo e) {
            EndpointId id = EndpointId.parse(e.id());
            endpoints.put(id, new Member(id, e.state(), e.weight()));
        }

        /** Tells the registry this revision is applied; one acknowledgement in flight at a time, the latest. */
        private void acknowledge(long r) {
            wanted.accumulateAndGet(r, Math::max);
            if (!acking.compareAndSet(false, true)) return;
            long sending = wanted.get();
            client.registry()
                    .acknowledge(key.namespace(), key.service(), watcherId, sending)
                    .whenComplete((ok, err) -> {
                        if (err != null) log.debug("acknowledging {} of {} failed: {}", sending, key, err.toString());
                        acking.set(false);
                        if (closed) return;
                        if (err != null) {
                            CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS)
                                    .execute(() -> acknowledge(wanted.get()));
                        } else if (wanted.get() > sending) {
                            acknowledge(wanted.get());
                        }
                    });
        }

        void close() {
            closed = true;
            EventStream s = stream;
            if (s != null) s.close();
        }
    }
}
