package io.wharf.server.registry;

import static java.util.Objects.requireNonNull;

import io.wharf.core.InvalidInputException;
import io.wharf.core.NotFoundException;
import io.wharf.core.registry.ServiceKey;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The watchers of the registry's services: long-polls and event streams, each under an id of the client's
 * choosing, what each has acknowledged, and which of them a drain waits for — only those that declared
 * that they acknowledge. Disconnected watchers are kept for the grace period, so that a reconnect keeps its
 * place, then dropped.
 */
public final class Watchers {
    private static final Pattern WATCHER_ID = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");

    private final RegistryConfig config;
    private final LongSupplier nanoClock;
    private final RegistryMetrics metrics;
    private final Function<ServiceKey, ServiceSlot> watchable;
    private final Function<ServiceKey, Optional<ServiceSlot>> existing;
    private final Supplier<Collection<ServiceSlot>> all;
    private final Consumer<String> requireNamespace;
    private final List<Runnable> ackListeners = new CopyOnWriteArrayList<>();

    Watchers(
            RegistryConfig config,
            LongSupplier nanoClock,
            RegistryMetrics metrics,
            Function<ServiceKey, ServiceSlot> watchable,
            Function<ServiceKey, Optional<ServiceSlot>> existing,
            Supplier<Collection<ServiceSlot>> all,
            Consumer<String> requireNamespace) {
        this.config = config;
        this.nanoClock = nanoClock;
        this.metrics = metrics;
        this.watchable = watchable;
        this.existing = existing;
        this.all = all;
        this.requireNamespace = requireNamespace;
    }

    /** Runs {@code listener} after every acknowledgement a watcher makes (it must return quickly). */
    public void onAcknowledge(Runnable listener) {
        ackListeners.add(requireNonNull(listener, "listener"));
    }

    /**
     * Notes that watcher {@code id} is long-polling {@code key} and has applied {@code index}; with {@code
     * acknowledges}, drains wait for it.
     */
    public Watcher longPollStarted(ServiceKey key, String id, long index, boolean acknowledges) {
        Watcher w = watcher(watchable.apply(key), id, Watcher.Kind.LONG_POLL);
        w.acknowledges(acknowledges);
        w.acknowledge(index);
        w.connected(nanoClock.getAsLong());
        ackListeners.forEach(Runnable::run);
        return w;
    }

    /** Notes that a long-poll of {@code watcher} has returned. */
    public void longPollEnded(Watcher watcher) {
        watcher.disconnected(nanoClock.getAsLong());
    }

    /**
     * Opens an event stream for watcher {@code id} of {@code key}, resuming after {@code since} (or from a
     * snapshot when {@code since} is negative or too old); with {@code acknowledges}, drains wait for it. Close
     * it with {@link #closeStream}.
     */
    public StreamStart openStream(ServiceKey key, String id, long since, boolean acknowledges) {
        ServiceSlot slot = watchable.apply(key);
        Watcher w = watcher(slot, id, Watcher.Kind.STREAM);
        w.acknowledges(acknowledges);
        w.connected(nanoClock.getAsLong());
        ServiceSlot.StreamStart start = slot.openStream(w, since);
        return new StreamStart(w, start.stream(), Optional.ofNullable(start.snapshot()), start.replay());
    }

    /** A new stream: the watcher, its buffer, and what it must apply first. */
    public record StreamStart(
            Watcher watcher, Watcher.Stream stream, Optional<Snapshot> snapshot, List<ChangeEvent> replay) {}

    /** Cuts a stream off: its reader gets a resync signal and the watcher must start again. */
    public void cutOff(StreamStart start, String reason) {
        start.stream().cutOff(reason);
    }

    /** Closes a stream opened by {@link #openStream}. */
    public void closeStream(StreamStart start) {
        start.watcher().closeStream(start.stream());
        start.watcher().disconnected(nanoClock.getAsLong());
    }

    private Watcher watcher(ServiceSlot slot, String id, Watcher.Kind kind) {
        if (!WATCHER_ID.matcher(id).matches()) {
            throw InvalidInputException.of("watcher", "'" + id + "' (expected: 1-128 letters, digits or . _ : @ -)");
        }
        Watcher w = slot.watchers()
                .computeIfAbsent(
                        id,
                        i -> new Watcher(
                                i, slot, kind, config.watcherBuffer(), nanoClock.getAsLong(), metrics::cutOff));
        if (w.kind() != kind) {
            throw InvalidInputException.of("watcher", "'" + id + "' already watches " + slot.key() + " as " + w.kind());
        }
        return w;
    }

    /** Records that watcher {@code id} of {@code key} has applied every change up to {@code revision}. */
    public void acknowledge(ServiceKey key, String id, long revision) {
        requireNamespace.accept(key.namespace());
        Watcher w = existing.apply(key)
                .map(s -> s.watchers().get(id))
                .orElseThrow(() -> new NotFoundException("watcher", key + "/" + id));
        w.acknowledge(revision);
        ackListeners.forEach(Runnable::run);
    }

    /** The watchers of a service. */
    public List<WatcherStatus> of(ServiceKey key) {
        requireNamespace.accept(key.namespace());
        ServiceSlot slot = existing.apply(key).orElse(null);
        if (slot == null) {
            return List.of();
        }
        return slot.watchers().values().stream()
                .map(w -> new WatcherStatus(w.id(), w.kind(), w.acknowledged(), w.connected(), w.acknowledges()))
                .sorted(java.util.Comparator.comparing(WatcherStatus::id))
                .toList();
    }

    /** The ids of the acknowledging watchers of {@code key} that have not yet acknowledged {@code revision}. */
    public List<String> pending(ServiceKey key, long revision) {
        return of(key).stream()
                .filter(w -> w.acknowledges() && w.acknowledged() < revision)
                .map(WatcherStatus::id)
                .toList();
    }

    long count(Watcher.Kind kind) {
        long n = 0;
        for (ServiceSlot slot : all.get()) {
            for (Watcher w : slot.watchers().values()) {
                if (w.kind() == kind) n++;
            }
        }
        return n;
    }

    void dropIdle() {
        long now = nanoClock.getAsLong();
        long grace = config.watcherGrace().toNanos();
        for (ServiceSlot slot : all.get()) {
            slot.watchers().values().removeIf(w -> w.idleLongerThan(grace, now));
        }
    }
}
