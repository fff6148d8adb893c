package io.wharf.lb.balance;

import static java.util.Objects.requireNonNull;

import io.wharf.core.registry.EndpointId;
import io.wharf.core.registry.EndpointState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A service's backends, kept in step with the registry. Only {@code UP} endpoints get new requests. An
 * endpoint that leaves or starts draining keeps its {@link Backend} until what it has in flight is done,
 * so that a release can ask whether anything is still in flight to it; an endpoint that is re-weighted
 * keeps its in-flight count. Each {@link #apply} swaps in a new balancer at once; picks never lock.
 */
public final class BackendSet {
    /** One endpoint of a registry snapshot, as the set needs it. */
    public record Member(EndpointId id, EndpointState state, int weight) {
        public Member {
            requireNonNull(id, "id");
            requireNonNull(state, "state");
        }
    }

    private volatile Rule rule;
    private final Map<EndpointId, Backend> active = new HashMap<>();
    private final Map<EndpointId, Backend> retired = new HashMap<>();
    private volatile Balancer balancer;
    private final Runnable drained;

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
        this.balancer = rule.over(List.of());
    }

    /** Makes the set match a snapshot of the service's endpoints. */
    public synchronized void apply(List<Member> snapshot) {
        Map<EndpointId, Backend> next = new HashMap<>();
        for (Member m : snapshot) {
            if (m.state() != EndpointState.UP) {
                continue;
            }
            Backend b = active.get(m.id());
            if (b == null) b = retired.remove(m.id());
            if (b == null) b = new Backend(m.id(), m.weight());
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
        balancer = rule.over(ordered);
    }

    /** Balances by {@code newRule} from now on; counts carry over. */
    public synchronized void rule(Rule newRule) {
        if (newRule != rule) {
            rule = requireNonNull(newRule, "newRule");
            balancer = newRule.over(balancer.backends());
        }
    }

    public Rule rule() {
        return rule;
    }

    /** The backend for the next request, among those taking new requests now. */
    public Optional<Backend> pick(long key, long nowNanos) {
        return balancer.pick(key, nowNanos);
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
