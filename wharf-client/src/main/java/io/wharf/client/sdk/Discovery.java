package io.wharf.client.sdk;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A consumer's view of one service (claim 003.1): its instances as the registry last said, kept current by the
 * registry interface's subscription, and a pick among those that take requests by the view's {@link Rule}. The
 * view keeps the last list it had while the registry is out of reach, so calls go on to the instances known.
 * Listeners are called in registration order, one update at a time, with the whole list. Picks never block.
 */
public final class Discovery implements AutoCloseable {
    /** Told of every new list of instances. */
    public interface Listener {
        void instances(List<Instance> instances);
    }

    /**
     * A call to a picked instance; closing it ends the call, for the rules that count calls in flight. A call the
     * application marks {@link #failed()} counts against the registry interface the instance came from, which is
     * what a migration watches after its switch (claim 003.5).
     */
    public static final class Call implements AutoCloseable {
        private final Instance instance;
        private final @Nullable AtomicInteger inFlight;
        private final Counts counts;
        private boolean closed;
        private boolean failed;

        Call(Instance instance, @Nullable AtomicInteger inFlight, Counts counts) {
            this.instance = instance;
            this.inFlight = inFlight;
            this.counts = counts;
            if (inFlight != null) inFlight.incrementAndGet();
        }

        public Instance instance() {
            return instance;
        }

        /** Marks the call failed (once, however often it is said). */
        public void failed() {
            if (failed) return;
            failed = true;
            counts.failures.increment();
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            if (inFlight != null) inFlight.decrementAndGet();
        }
    }

    /** Picks made from one interface's lists, and the calls of those that failed. */
    static final class Counts {
        final LongAdder calls = new LongAdder();
        final LongAdder failures = new LongAdder();
    }

    /** One list as picks read it: the instances that take requests, and per instance what the rules need. */
    private static final class Snapshot {
        final List<Instance> all;
        final List<Instance> up;
        final long[] current; // smooth weighted round robin's scores, one per instance of up
        final AtomicInteger[] loads; // calls in flight, one per instance of up (the view's, kept across lists)
        final long[] hashes; // each instance of up's id, hashed once, for consistent hashing
        final Counts counts; // of the interface the list came from

        Snapshot(List<Instance> all, Counts counts, Function<Instance, AtomicInteger> load) {
            this.counts = counts;
            this.all = List.copyOf(all);
            List<Instance> taking = new ArrayList<>();
            for (Instance i : all) {
                if (i.up() && i.weight() > 0) taking.add(i);
            }
            this.up = List.copyOf(taking);
            this.current = new long[up.size()];
            this.loads = new AtomicInteger[up.size()];
            this.hashes = new long[up.size()];
            for (int k = 0; k < up.size(); k++) {
                loads[k] = load.apply(up.get(k));
                hashes[k] = up.get(k).id().hashCode() * 0x9E3779B97F4A7C15L;
            }
        }
    }

    private final String namespace;
    private final String service;
    private final Rule rule;
    private final Runnable onClose;
    private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong cursor = new AtomicLong();
    private final CountDownLatch known = new CountDownLatch(1);
    private final Object updating = new Object();
    private final Map<String, Counts> counts = new ConcurrentHashMap<>();
    private volatile Snapshot snapshot;

    /** What each interface in use last said of the service, by interface. */
    private final Map<String, List<Instance>> byInterface = new java.util.LinkedHashMap<>();

    private String primary;

    Discovery(String namespace, String service, Rule rule, String primary, Runnable onClose) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.service = Objects.requireNonNull(service, "service");
        this.rule = Objects.requireNonNull(rule, "rule");
        this.primary = Objects.requireNonNull(primary, "primary");
        this.onClose = onClose;
        this.snapshot = new Snapshot(List.of(), counts(primary), this::counter);
    }

    private Counts counts(String name) {
        return counts.computeIfAbsent(name, k -> new Counts());
    }

    /** Picks made from interface {@code name}'s lists and failed calls among them, as {calls, failures}. */
    long[] calls(String name) {
        Counts c = counts.get(name);
        return c == null ? new long[2] : new long[] {c.calls.sum(), c.failures.sum()};
    }

    /** Takes a list from interface {@code name}; the view picks from it if that is the primary interface. */
    void offer(String name, List<Instance> instances) {
        synchronized (updating) {
            byInterface.put(name, List.copyOf(instances));
            if (name.equals(primary)) update(instances);
        }
    }

    /** Picks from interface {@code name} from now on: at once from its list if it has one. */
    void primary(String name) {
        synchronized (updating) {
            primary = name;
            List<Instance> known = byInterface.get(name);
            if (known != null) update(known);
        }
    }

    /** Forgets what interface {@code name} said: it is no longer in use. */
    void forget(String name) {
        synchronized (updating) {
            byInterface.remove(name);
        }
    }

    /**
     * What each interface in use last said of the service, by interface name — during a migration, the
     * evidence that the new interface sees what the old one does (claim 003.5).
     */
    public Map<String, List<Instance>> byInterface() {
        synchronized (updating) {
            return Map.copyOf(byInterface);
        }
    }

    public String namespace() {
        return namespace;
    }

    public String service() {
        return service;
    }

    public Rule rule() {
        return rule;
    }

    /** Every instance known now, those that take no requests included; empty before the first answer. */
    public List<Instance> instances() {
        return snapshot.all;
    }

    /** Waits until the registry has answered once; false if it has not within {@code timeout}. */
    public boolean awaitKnown(Duration timeout) throws InterruptedException {
        return known.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Adds a listener, which is called at once with the current list if one is known. */
    public void addListener(Listener listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (updating) {
            listeners.add(listener);
            if (known.getCount() == 0) listener.instances(snapshot.all);
        }
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    /** Takes a new list from the registry interface. */
    void update(List<Instance> instances) {
        synchronized (updating) {
            Snapshot next = new Snapshot(instances, counts(primary), this::counter);
            if (!sameInstances(snapshot.all, next.all)) {
                inFlight.keySet()
                        .retainAll(next.all.stream().map(Instance::id).collect(java.util.stream.Collectors.toSet()));
            }
            snapshot = next;
            known.countDown();
            for (Listener l : listeners) {
                l.instances(next.all);
            }
        }
    }

    /** Whether {@code a} and {@code b} are lists of the same instances, in the same order, by id. */
    private static boolean sameInstances(List<Instance> a, List<Instance> b) {
        if (a.size() != b.size()) return false;
        for (int k = 0; k < a.size(); k++) {
            if (!a.get(k).id().equals(b.get(k).id())) return false;
        }
        return true;
    }

    /** An instance for the next call, by the view's rule; empty if none takes requests. */
    public Optional<Instance> pick() {
        return pick(0);
    }

    /** An instance for the next call with {@code key} (used by {@link Rule#CONSISTENT_HASH}). */
    public Optional<Instance> pick(String key) {
        return pick(mix(key.hashCode()));
    }

    /** Like {@link #pick()}, counting the call in flight until the returned call is closed. */
    public Optional<Call> start() {
        Snapshot s = snapshot;
        int k = pick(s, 0);
        return k < 0 ? Optional.empty() : Optional.of(new Call(s.up.get(k), s.loads[k], s.counts));
    }

    private Optional<Instance> pick(long key) {
        Snapshot s = snapshot;
        int k = pick(s, key);
        return k < 0 ? Optional.empty() : Optional.of(s.up.get(k));
    }

    /** The index in {@code s.up} of the instance for the next call; -1 if none takes requests. */
    private int pick(Snapshot s, long key) {
        s.counts.calls.increment();
        int n = s.up.size();
        if (n <= 1) return n - 1;
        switch (rule) {
            case ROUND_ROBIN:
                return (int) Math.floorMod(cursor.getAndIncrement(), (long) n);
            case WEIGHTED_ROUND_ROBIN:
                return smoothWeighted(s);
            case LEAST_CONNECTIONS: {
                // from a rotating start, so that ties are spread
                int start = (int) Math.floorMod(cursor.getAndIncrement(), (long) n);
                int best = start;
                int bestLoad = s.loads[start].get();
                for (int j = 1; j < n && bestLoad > 0; j++) {
                    int k = start + j < n ? start + j : start + j - n;
                    int load = s.loads[k].get();
                    if (load < bestLoad) {
                        best = k;
                        bestLoad = load;
                    }
                }
                return best;
            }
            case POWER_OF_TWO_CHOICES: {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                int a = r.nextInt(n);
                int b = r.nextInt(n - 1);
                if (b >= a) b++;
                return s.loads[a].get() <= s.loads[b].get() ? a : b;
            }
            case CONSISTENT_HASH: {
                int best = 0;
                long bestScore = mix(key ^ s.hashes[0]);
                for (int k = 1; k < n; k++) {
                    long score = mix(key ^ s.hashes[k]);
                    if (score > bestScore) {
                        best = k;
                        bestScore = score;
                    }
                }
                return best;
            }
            default:
                throw new IllegalStateException("rule " + rule);
        }
    }

    private static int smoothWeighted(Snapshot s) {
        synchronized (s.current) {
            int best = 0;
            long total = 0;
            for (int i = 0; i < s.up.size(); i++) {
                s.current[i] += s.up.get(i).weight();
                total += s.up.get(i).weight();
                if (s.current[i] > s.current[best]) best = i;
            }
            s.current[best] -= total;
            return best;
        }
    }

    private AtomicInteger counter(Instance i) {
        AtomicInteger c = inFlight.get(i.id());
        return c != null ? c : inFlight.computeIfAbsent(i.id(), k -> new AtomicInteger());
    }

    /** Calls in flight to each instance, as {@link #start()} counted them. */
    public Map<String, Integer> inFlight() {
        Map<String, Integer> out = new java.util.TreeMap<>();
        inFlight.forEach((id, n) -> out.put(id, n.get()));
        return out;
    }

    /** A 64-bit finaliser (SplitMix64's), so that near keys land far apart. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Stops following the service. */
    @Override
    public void close() {
        onClose.run();
    }

    @Override
    public String toString() {
        return "Discovery[" + namespace + "/" + service + ", " + rule.text() + ", " + snapshot.all.size()
                + " instances]";
    }
}
