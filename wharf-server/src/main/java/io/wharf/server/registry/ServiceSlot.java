package io.wharf.server.registry;

import static java.util.Objects.requireNonNull;

import io.wharf.client.wire.EndpointState;
import io.wharf.core.registry.Endpoint;
import io.wharf.core.registry.EndpointId;
import io.wharf.core.registry.ServiceKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * One service's live state: its endpoints, the recent history of their changes, and its watchers. All
 * changes go through this object's lock, which assigns each its revision, so a service's events are
 * totally ordered and every watcher sees them in that order.
 */
final class ServiceSlot {
    private final ServiceKey key;
    private final RevisionClock clock;
    private final LongSupplier nanoClock;
    private final StateCounts counts;
    private final Map<EndpointId, RegisteredEndpoint> endpoints = new HashMap<>();
    /** The recent changes, oldest first from {@link #historyStart}: grown as needed up to {@link #historyCap}. */
    private ChangeEvent @Nullable [] history;

    private final int historyCap;
    private final Map<String, Watcher> watchers = new ConcurrentHashMap<>();
    private int historyStart;
    private int historySize;
    private long evictedUpTo;
    private final ChangeNotifier changes;
    /** The revision at which each endpoint that is gone left, for drains that wait until it is seen gone. */
    private final Map<EndpointId, Long> removedAt = new HashMap<>();

    private @Nullable Snapshot snapshot;
    private volatile boolean stored;

    ServiceSlot(
            ServiceKey key,
            RevisionClock clock,
            LongSupplier nanoClock,
            StateCounts counts,
            Executor notifier,
            int historySize) {
        this.key = key;
        this.clock = clock;
        this.nanoClock = nanoClock;
        this.counts = counts;
        this.historyCap = historySize;
        // what happened before this process started is unknown here: a resume from earlier gets a snapshot
        this.evictedUpTo = clock.start();
        this.changes = new ChangeNotifier(clock.start(), notifier);
    }

    ServiceKey key() {
        return key;
    }

    boolean stored() {
        return stored;
    }

    void markStored() {
        stored = true;
    }

    /** Adds or replaces an endpoint; returns the change and what it replaced. */
    synchronized Put put(Endpoint endpoint, String leaseId) {
        RegisteredEndpoint previous = endpoints.get(endpoint.id());
        long r = clock.next();
        // registered again unchanged (on a new lease, say): the older events in the history and the new one
        // share one endpoint object rather than holding a copy each; changed, it keeps the id object the map
        // holds as its key (HashMap keeps the first key it was given)
        Endpoint kept = previous == null
                ? endpoint
                : previous.endpoint().equals(endpoint)
                        ? previous.endpoint()
                        : endpoint.withId(previous.endpoint().id());
        RegisteredEndpoint now = new RegisteredEndpoint(kept, r, leaseId);
        endpoints.put(endpoint.id(), now);
        removedAt.remove(endpoint.id());
        counts.moved(previous == null ? null : previous.endpoint().state(), endpoint.state());
        var event = new ChangeEvent.Put(r, nanoClock.getAsLong(), now);
        record(event);
        return new Put(event, previous);
    }

    /** A put's change, and the endpoint it replaced, if any. */
    record Put(ChangeEvent.Put event, @Nullable RegisteredEndpoint previous) {}

    /** Removes an endpoint if present and, when {@code onlyIfLease} is given, only if it still lives on that lease. */
    synchronized Optional<Removed> remove(EndpointId id, @Nullable String onlyIfLease, String reason) {
        RegisteredEndpoint current = endpoints.get(id);
        if (current == null || (onlyIfLease != null && !current.leaseId().equals(onlyIfLease))) {
            return Optional.empty();
        }
        endpoints.remove(id);
        counts.moved(current.endpoint().state(), null);
        var event = new ChangeEvent.Delete(clock.next(), nanoClock.getAsLong(), id, reason);
        removedAt.put(id, event.revision());
        record(event);
        return Optional.of(new Removed(event, current));
    }

    /** A removal's change, and the endpoint it removed. */
    record Removed(ChangeEvent.Delete event, RegisteredEndpoint endpoint) {}

    synchronized Optional<RegisteredEndpoint> get(EndpointId id) {
        return Optional.ofNullable(endpoints.get(id));
    }

    private void record(ChangeEvent event) {
        snapshot = null;
        ChangeEvent[] h = history;
        if (h == null || (historySize == h.length && h.length < historyCap)) {
            h = grow(h);
        }
        if (historySize == h.length) {
            evictOldest(h);
        }
        h[(historyStart + historySize) % h.length] = event;
        historySize++;
        for (Watcher w : watchers.values()) {
            w.offer(event);
        }
        // long-polls waiting on this service answer on their own threads, not under this lock
        changes.advance(event.revision());
    }

    /** A history array with room for more, holding what {@code h} held, oldest first. */
    private ChangeEvent[] grow(ChangeEvent @Nullable [] h) {
        ChangeEvent[] bigger =
                new ChangeEvent[h == null ? Math.min(8, historyCap) : Math.min(h.length * 2, historyCap)];
        for (int i = 0; i < historySize; i++) {
            bigger[i] = requireNonNull(h)[(historyStart + i) % h.length];
        }
        historyStart = 0;
        history = bigger;
        return bigger;
    }

    private void evictOldest(ChangeEvent[] h) {
        evictedUpTo = h[historyStart].revision();
        h[historyStart] = null;
        historyStart = (historyStart + 1) % h.length;
        historySize--;
    }

    /**
     * Forgets the changes made before {@code cutoffNanos} (a watcher resuming from before them gets a snapshot),
     * and the history's array once nothing is left in it: a service that has not changed for a while keeps none.
     */
    synchronized void forgetHistoryBefore(long cutoffNanos) {
        ChangeEvent[] h = history;
        if (h == null) return;
        while (historySize > 0 && h[historyStart].madeAtNanos() - cutoffNanos < 0) {
            evictOldest(h);
        }
        if (historySize == 0) {
            history = null;
            historyStart = 0;
        }
    }

    synchronized long revision() {
        return changes.revision();
    }

    /** The revisions at which endpoints that are gone now left, as far as this process knows. */
    synchronized Map<EndpointId, Long> removals() {
        return Map.copyOf(removedAt);
    }

    synchronized Snapshot snapshot() {
        Snapshot s = snapshot;
        if (s == null) {
            s = new Snapshot(key, changes.revision(), sorted());
            snapshot = s;
        }
        return s;
    }

    /** Completes once the service's revision is above {@code index}; at once if it already is. */
    CompletableFuture<Long> changeAfter(long index) {
        return changes.changeAfter(index);
    }

    /**
     * Attaches a stream for {@code watcher} and returns what it must apply first: the events after
     * {@code since} if this slot still has all of them, otherwise (or without {@code since}) a snapshot.
     * Done under the lock, so no change falls between the start and the stream.
     */
    synchronized StreamStart openStream(Watcher watcher, long since) {
        Watcher.Stream stream = watcher.openStream();
        if (since >= 0 && since >= evictedUpTo && since <= changes.revision()) {
            List<ChangeEvent> replay = new ArrayList<>();
            ChangeEvent[] h = history;
            for (int i = 0; i < historySize; i++) {
                ChangeEvent e = requireNonNull(h)[(historyStart + i) % h.length];
                if (e.revision() > since) {
                    replay.add(e);
                }
            }
            return new StreamStart(stream, null, replay);
        }
        return new StreamStart(stream, snapshot(), List.of());
    }

    /** What a new stream starts with: a snapshot, or the events since the revision it resumed from. */
    record StreamStart(Watcher.Stream stream, @Nullable Snapshot snapshot, List<ChangeEvent> replay) {}

    Map<String, Watcher> watchers() {
        return watchers;
    }

    synchronized List<RegisteredEndpoint> endpoints() {
        return sorted();
    }

    private List<RegisteredEndpoint> sorted() {
        List<RegisteredEndpoint> list = new ArrayList<>(endpoints.values());
        list.sort(Comparator.comparing(r -> r.endpoint().id()));
        return list;
    }

    /** Per-state endpoint counts shared by all slots, for metrics. */
    interface StateCounts {
        void moved(@Nullable EndpointState from, @Nullable EndpointState to);
    }
}
