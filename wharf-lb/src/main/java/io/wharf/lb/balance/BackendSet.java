package io.wharf.lb.balance;

import static java.util.Objects.requireNonNull;

import io.wharf.client.sdk.Rule;
import io.wharf.client.wire.EndpointState;
import io.wharf.core.registry.EndpointId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A service's backends, kept in step with the registry. Only {@code UP} endpoints get new requests. An
 * endpoint that leaves or starts draining keeps its {@link Backend} until what it has in flight is done,
 * so that a release can ask whether anything is still in flight to it; an endpoint that is re-weighted
 * keeps its in-flight count. Each {@link #apply} swaps in a new balancer at once; picks never lock.
 *
 * <p>With a {@linkplain #slowStart slow start}, an endpoint that has just begun to take requests counts for
 * a tenth of its weight at first, growing evenly to all of it: when the rule picks it, it takes the request
 * with that chance, and otherwise the rule picks again. Beside three warm endpoints of the same weight, a new
 * one gets 0.1 / 3.1 of the requests at first; no warm one ever gets twice its usual share. Endpoints that
 * all began together (a new service, a restarted load balancer) share alike. The consistent hash keeps each
 * key where it is, and least connections sends a slow endpoint fewer requests by itself: neither has a slow
 * start.
 */
public final class BackendSet {
    /** One endpoint of a registry snapshot, as the set needs it. */
    public record Member(EndpointId id, EndpointState state, int weight) {
        public Member {
            requireNonNull(id, "id");
            requireNonNull(state, "state");
        }
    }

    /** The part of its weight an endpoint counts for when its slow start begins. */
    static final double FIRST_SHARE = 0.1;

    /** Picks at most for one request while endpoints decline in their slow start. */
    private static final int MAX_PICKS = 16;

    private volatile Rule rule;
    private final Map<EndpointId, Backend> active = new HashMap<>();
    private final Map<EndpointId, Backend> retired = new HashMap<>();
    private volatile Generation generation;
    private long slowStartNanos;
    private final Runnable drained;

    /**
     * What picks read: the balancer, and when the slow start has nothing to do — before {@code someWarmAt} no
     * endpoint has finished its slow start (they share alike), from {@code allWarmAt} on every one has.
     */
    private record Generation(Balancer balancer, long slowStartNanos, long someWarmAt, long allWarmAt) {
        boolean ramping(long now) {
            return slowStartNanos > 0 && now - someWarmAt >= 0 && now - allWarmAt < 0;
        }
    }

    public BackendSet(Rule rule) {
        this(rule, () -> {});
    }

    /**
     * A set balancing by {@code rule}; {@code drained} runs (on the thread that finished the request) each
     * time an endpoint that has left finishes its last request in flight.
     */
    public BackendSet(Rule rule, Runnable drained) {
        this.rule = requireNonNull(rule, "rule");
        this.drained = requireNonNull(drained, "drained");
        this.generation = new Generation(Balancer.of(rule, List.of()), 0, 0, 0);
    }

    /** Makes the set match a snapshot of the service's endpoints. */
    public void apply(List<Member> snapshot) {
        apply(snapshot, System.nanoTime());
    }

    /** As {@link #apply(List)}, at {@code nowNanos} on the {@link System#nanoTime()} clock. */
    public synchronized void apply(List<Member> snapshot, long nowNanos) {
        Map<EndpointId, Backend> next = new HashMap<>();
        for (Member m : snapshot) {
            if (m.state() != EndpointState.UP) {
                continue;
            }
            Backend b = active.get(m.id());
            if (b == null) b = retired.remove(m.id());
            if (b == null) b = new Backend(m.id(), m.weight());
            if (!active.containsKey(m.id())) b.upSince(nowNanos);
            b.weight(m.weight());
            b.onDrained(null);
            next.put(m.id(), b);
        }
        for (Map.Entry<EndpointId, Backend> e : active.entrySet()) {
            if (!next.containsKey(e.getKey())) {
                e.getValue().onDrained(drained);
                retired.put(e.getKey(), e.getValue());
            }
        }
        active.clear();
        active.putAll(next);
        retired.values().removeIf(b -> b.inFlight() == 0);
        List<Backend> ordered = new ArrayList<>(new TreeMap<>(active).values());
        generation = generation(Balancer.of(rule, ordered));
    }

    private Generation generation(Balancer balancer) {
        long slow = rule == Rule.CONSISTENT_HASH || rule == Rule.LEAST_CONNECTIONS ? 0 : slowStartNanos;
        List<Backend> all = balancer.backends();
        if (slow == 0 || all.isEmpty()) return new Generation(balancer, 0, 0, 0);
        long first = all.get(0).upSince();
        long last = first;
        for (Backend b : all) {
            if (b.upSince() - first < 0) first = b.upSince();
            if (b.upSince() - last > 0) last = b.upSince();
        }
        return new Generation(balancer, slow, first + slow, last + slow);
    }

    /** Balances by {@code newRule} from now on; counts carry over. */
    public synchronized void rule(Rule newRule) {
        if (newRule != rule) {
            rule = requireNonNull(newRule, "newRule");
            generation = generation(Balancer.of(newRule, generation.balancer().backends()));
        }
    }

    /**
     * Gives each endpoint {@code duration}, from when it began to take requests, to reach its full share; zero
     * for at once.
     */
    public synchronized void slowStart(Duration duration) {
        long nanos = duration.toNanos();
        if (nanos < 0) throw new IllegalArgumentException("slowStart: " + duration + " (expected: zero or more)");
        if (nanos != slowStartNanos) {
            slowStartNanos = nanos;
            generation = generation(generation.balancer());
        }
    }

    public Rule rule() {
        return rule;
    }

    /** How long a new endpoint takes to reach its full share, as asked for ({@link #slowStart(Duration)}). */
    public synchronized Duration slowStart() {
        return Duration.ofNanos(slowStartNanos);
    }

    /**
     * The backend for the next request, among those taking new requests now. When every endpoint with a weight
     * is ejected, the one whose ejection ends first: an ejection is a guess from one failed connection (an
     * endpoint whose listen queue overflowed for a moment, say) while the registry says they are up, so it is
     * tried rather than the request refused. Endpoints with weight 0 (draining) are never picked.
     */
    public Optional<Backend> pick(long key, long nowNanos) {
        Generation g = generation;
        Optional<Backend> picked = g.balancer().pick(key, nowNanos);
        if (picked.isEmpty()) return soonestBack(g.balancer().backends());
        if (!g.ramping(nowNanos)) return picked;
        for (int i = 1; i < MAX_PICKS && declines(picked.get(), g.slowStartNanos(), nowNanos); i++) {
            picked = g.balancer().pick(key, nowNanos);
            if (picked.isEmpty()) return picked;
        }
        return picked;
    }

    private static Optional<Backend> soonestBack(List<Backend> backends) {
        Backend best = null;
        for (Backend b : backends) {
            if (b.weight() > 0 && (best == null || b.ejectedUntil() - best.ejectedUntil() < 0)) best = b;
        }
        return Optional.ofNullable(best);
    }

    /** Whether {@code b}, in its slow start, lets this request go to another endpoint. */
    private static boolean declines(Backend b, long slowStartNanos, long now) {
        long age = now - b.upSince();
        if (age >= slowStartNanos) return false;
        double part = FIRST_SHARE + (1 - FIRST_SHARE) * age / slowStartNanos;
        return ThreadLocalRandom.current().nextDouble() >= part;
    }

    /** Requests in flight per endpoint, including endpoints that have left but still finish requests. */
    public synchronized Map<EndpointId, Integer> inFlight() {
        Map<EndpointId, Integer> out = new TreeMap<>();
        active.forEach((id, b) -> out.put(id, b.inFlight()));
        retired.forEach((id, b) -> out.merge(id, b.inFlight(), Integer::sum));
        return out;
    }

    /** Requests in flight to one endpoint, whether it still takes new ones or not. */
    public synchronized int inFlight(EndpointId id) {
        Backend a = active.get(id);
        Backend r = retired.get(id);
        return (a == null ? 0 : a.inFlight()) + (r == null ? 0 : r.inFlight());
    }
}
