package io.wharf.server.operation;

import static java.util.Objects.requireNonNull;

import io.wharf.client.wire.OperationStatus;
import io.wharf.core.ConflictException;
import io.wharf.core.registry.ServiceKey;
import io.wharf.server.cluster.ClusterView;
import io.wharf.store.OperationRecord;
import io.wharf.store.OperationStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every long operation (controller-runtime's work queue over Nomad's plan-and-apply): keeps a due time
 * per running operation and, in each pass, takes one {@link ClusterView} of the services the due ones hold,
 * asks each for its next {@link Step}, stores the new state (optimistic version) and has {@link Actions}
 * apply the intents. A step that goes on is stored before its intents are applied, so what it decided (a
 * container's id) is known before it exists; a step that ends applies its intents first, so a crash between
 * the two steps it again. Passes come when an operation is due, and at once when woken by a new operation,
 * an agent's report or a watcher's acknowledgement. A step that throws is retried with back-off, its error
 * visible in the API, and the operation is given up (its {@link OperationKind#abandon} applied) after
 * {@link Settings#maxAttempts} failures in a row; one operation's failures never hold up the others.
 */
public final class OperationEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OperationEngine.class);

    private enum Lifecycle {
        NEW,
        RUNNING,
        CLOSED
    }

    /**
     * How the engine retries and paces itself.
     *
     * @param maxAttempts failed steps in a row after which an operation is given up
     * @param firstRetry the wait after the first failure; doubled after each further one
     * @param maxRetry the longest wait between attempts
     * @param minPass the least time between two passes, so a burst of wake-ups costs one pass
     */
    public record Settings(int maxAttempts, Duration firstRetry, Duration maxRetry, Duration minPass) {
        public static Settings defaults() {
            return new Settings(10, Duration.ofMillis(100), Duration.ofSeconds(30), Duration.ofMillis(10));
        }
    }

    private final OperationStore store;
    private final ViewSource views;
    private final IntentApplier applier;
    private final Clock clock;
    private final Settings settings;
    private final Map<String, OperationKind<?>> kinds = new ConcurrentHashMap<>();
    private final Map<String, List<SaveListener<?>>> listeners = new ConcurrentHashMap<>();
    private final Map<String, RunningOperation<?>> open = new ConcurrentHashMap<>();
    private final AtomicReference<Lifecycle> lifecycle = new AtomicReference<>(Lifecycle.NEW);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeUp = lock.newCondition();
    private final Object submitting = new Object();
    private boolean woken;
    private final Thread thread;
    private final RunningOperation.Writes writes;

    public OperationEngine(
            OperationStore store, ViewSource views, IntentApplier applier, Clock clock, Settings settings) {
        this.store = requireNonNull(store, "store");
        this.views = requireNonNull(views, "views");
        this.applier = requireNonNull(applier, "applier");
        this.clock = requireNonNull(clock, "clock");
        this.settings = requireNonNull(settings, "settings");
        this.thread = Thread.ofPlatform().name("wharf-operations").daemon().unstarted(this::run);
        this.writes = new RunningOperation.Writes(store, clock, this::saved);
    }

    /** Adds a kind of operation; before {@link #start}. */
    public <S> OperationEngine register(OperationKind<S> kind) {
        if (kinds.putIfAbsent(kind.name(), kind) != null) {
            throw new IllegalArgumentException("kind " + kind.name() + " is registered already");
        }
        return this;
    }

    /** Runs {@code listener} after every write of an operation of {@code kind}, on the engine's thread. */
    public <S> void onSaved(OperationKind<S> kind, SaveListener<S> listener) {
        listeners
                .computeIfAbsent(kind.name(), k -> new CopyOnWriteArrayList<>())
                .add(listener);
    }

    /**
     * Loads the operations a previous server left running and starts stepping them.
     *
     * @throws IllegalStateException if it was started before
     */
    public OperationEngine start() {
        if (!lifecycle.compareAndSet(Lifecycle.NEW, Lifecycle.RUNNING)) {
            throw new IllegalStateException("the operation engine is " + lifecycle.get() + " (expected: NEW)");
        }
        load();
        thread.start();
        return this;
    }

    /** Reads the running rows; a row that cannot be read fails alone, saying why. */
    void load() {
        for (OperationRecord r : store.running()) {
            OperationKind<?> kind = kinds.get(r.kind());
            if (kind == null) {
                giveUpUnreadable(r, "this server has no operations of kind " + r.kind());
                continue;
            }
            try {
                add(kind, r);
            } catch (IllegalArgumentException e) {
                giveUpUnreadable(r, "its state cannot be read (" + e.getMessage() + ")");
            }
        }
        log.info("operations loaded running={}", open.size());
    }

    private <S> void add(OperationKind<S> kind, OperationRecord r) {
        open.put(r.id(), new RunningOperation<>(kind, r, clock.instant()));
    }

    private void giveUpUnreadable(OperationRecord r, String reason) {
        log.error("operation failed id={} kind={} reason=\"{}\"", r.id(), r.kind(), reason);
        store.update(r.next(OperationStatus.FAILED, reason, r.state(), r.attempts(), "", clock.instant()));
    }

    /**
     * Starts an operation of {@code kind} from {@code state}.
     *
     * @throws ConflictException if a running operation holds one of the services it would
     */
    public <S> Operation<S> submit(OperationKind<S> kind, String id, S state) {
        requireNonNull(kinds.get(kind.name()), () -> "kind " + kind.name() + " is not registered");
        Instant now = clock.instant();
        OperationRecord record = new OperationRecord(
                id,
                kind.name(),
                kind.subject(state),
                OperationStatus.RUNNING,
                "",
                OperationCodec.write(state),
                1,
                0,
                "",
                now,
                now);
        synchronized (submitting) {
            for (ServiceKey service : kind.services(state)) {
                Optional<RunningOperation<?>> holder = holder(service);
                if (holder.isPresent()) {
                    OperationRecord h = holder.get().record();
                    throw new ConflictException(h.kind() + " " + h.id() + " is running on " + service
                            + "; one operation at a time per service (wait for it, or follow it with 'wharf describe "
                            + (h.kind().equals("scale-out") ? "task" : h.kind()) + " " + h.id() + "')");
                }
            }
            store.insert(record);
            open.put(id, new RunningOperation<>(kind, record, now));
        }
        log.info("operation created id={} kind={} subject=\"{}\"", id, kind.name(), record.subject());
        wake();
        return Operation.of(kind, record);
    }

    /** The running operation that holds {@code service}, as {@code kind id} (e.g. {@code release rel-1}), if one does. */
    public Optional<String> holding(ServiceKey service) {
        return holder(service).map(h -> h.record().kind() + " " + h.record().id());
    }

    private Optional<RunningOperation<?>> holder(ServiceKey service) {
        return open.values().stream()
                .filter(e -> e.services().contains(service))
                .findFirst();
    }

    /** Asks for a pass now: something an operation may wait on changed. */
    public void wake() {
        if (open.isEmpty()) return;
        lock.lock();
        try {
            woken = true;
            wakeUp.signal();
        } finally {
            lock.unlock();
        }
    }

    /** An operation of {@code kind}, as it stands now. */
    public <S> Optional<Operation<S>> get(OperationKind<S> kind, String id) {
        return store.get(id).filter(r -> r.kind().equals(kind.name())).map(r -> Operation.of(kind, r));
    }

    /** Every operation of {@code kind}, newest first; rows that cannot be read are left out. */
    public <S> List<Operation<S>> list(OperationKind<S> kind) {
        List<Operation<S>> out = new ArrayList<>();
        for (OperationRecord r : store.list(kind.name())) {
            try {
                out.add(Operation.of(kind, r));
            } catch (IllegalArgumentException unreadable) {
                log.warn("operation unreadable id={} reason=\"{}\"", r.id(), unreadable.getMessage());
            }
        }
        return out;
    }

    private void run() {
        while (lifecycle.get() == Lifecycle.RUNNING) {
            try {
                awaitWork();
                pass();
                Thread.sleep(settings.minPass());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // a pass isolates each operation's errors; this is the view failing, say, with the store down
                log.error("operation pass failed; trying again", e);
            }
        }
    }

    private void awaitWork() throws InterruptedException {
        lock.lock();
        try {
            while (!woken && lifecycle.get() == Lifecycle.RUNNING) {
                Instant next = open.values().stream()
                        .map(e -> e.due)
                        .min(Comparator.naturalOrder())
                        .orElse(clock.instant().plusSeconds(1));
                long nanos = Duration.between(clock.instant(), next).toNanos();
                if (nanos <= 0) return;
                wakeUp.awaitNanos(Math.min(nanos, Duration.ofSeconds(1).toNanos()));
            }
            woken = false;
            Instant now = clock.instant();
            open.values().forEach(e -> e.due = now);
        } finally {
            lock.unlock();
        }
    }

    /** Steps every operation that is due, on one view. */
    public void pass() {
        Instant now = clock.instant();
        List<RunningOperation<?>> due = open.values().stream()
                .filter(e -> !e.due.isAfter(now))
                .sorted(Comparator.comparing(e -> e.record().createdAt()))
                .toList();
        if (due.isEmpty()) return;
        Set<ServiceKey> services = new HashSet<>();
        due.forEach(e -> services.addAll(e.services()));
        ClusterView view = views.view(services);
        for (RunningOperation<?> e : due) {
            if (e.step(view, applier, writes, settings) == RunningOperation.Outcome.ENDED) {
                open.remove(e.id());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void saved(OperationRecord record, Object state) {
        for (SaveListener<?> l : listeners.getOrDefault(record.kind(), List.of())) {
            try {
                ((SaveListener<Object>) l).saved(record, state);
            } catch (RuntimeException e) {
                log.warn("a listener of operation {} failed", record.id(), e);
            }
        }
    }

    /** Whether any operation is running. */
    public boolean busy() {
        return !open.isEmpty();
    }

    @Override
    public void close() {
        if (lifecycle.getAndSet(Lifecycle.CLOSED) == Lifecycle.RUNNING) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
