package io.wharf.lb.balance;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.client.sdk.Rule;
import io.wharf.core.registry.EndpointId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BalancerTest {
    static final long NOW = 1_000_000_000L;

    static Backend backend(int n, int weight) {
        return new Backend(new EndpointId("127.0.1." + n, 8080), weight);
    }

    static Map<Integer, Integer> spread(Balancer b, int picks) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = 0; i < picks; i++) {
            Backend picked = b.pick(i, NOW).orElseThrow();
            counts.merge(Integer.parseInt(picked.id().ip().substring(8)), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    @DisplayName("round robin gives each available backend its turn")
    void roundRobin() {
        var bs = List.of(backend(1, 1), backend(2, 1), backend(3, 1));
        Balancer b = Balancer.of(Rule.ROUND_ROBIN, bs);
        assertThat(spread(b, 300)).containsExactlyInAnyOrderEntriesOf(Map.of(1, 100, 2, 100, 3, 100));
        bs.get(1).eject(NOW + 1);
        assertThat(spread(b, 200)).containsOnlyKeys(1, 3).containsEntry(1, 100);
    }

    @Test
    @DisplayName("weighted round robin follows the weights, interleaved")
    void smoothWeighted() {
        Balancer b = Balancer.of(Rule.WEIGHTED_ROUND_ROBIN, List.of(backend(1, 5), backend(2, 1), backend(3, 1)));
        String order = java.util.stream.IntStream.range(0, 7)
                .mapToObj(i -> b.pick(i, NOW).orElseThrow().id().ip().substring(8))
                .collect(Collectors.joining());
        assertThat(order).isEqualTo("1121311");
        assertThat(spread(b, 700)).containsExactlyInAnyOrderEntriesOf(Map.of(1, 500, 2, 100, 3, 100));
    }

    @Test
    @DisplayName("a backend of weight 0 gets nothing; none available means no pick")
    void weightZeroAndNone() {
        Backend zero = backend(1, 0);
        Backend one = backend(2, 1);
        for (Rule r : Rule.values()) {
            assertThat(spread(Balancer.of(r, List.of(zero, one)), 50))
                    .as(r.name())
                    .containsOnlyKeys(2);
            assertThat(Balancer.of(r, List.of(zero)).pick(1, NOW)).as(r.name()).isEmpty();
        }
    }

    @Test
    @DisplayName("least connections sends to the backend with fewest in flight")
    void leastConnections() {
        Backend busy = backend(1, 1);
        Backend idle = backend(2, 1);
        for (int i = 0; i < 5; i++) busy.started();
        Balancer b = Balancer.of(Rule.LEAST_CONNECTIONS, List.of(busy, idle));
        for (int i = 0; i < 5; i++) {
            Backend picked = b.pick(i, NOW).orElseThrow();
            assertThat(picked).isSameAs(idle);
            picked.started();
        }
        // now both have 5: they take turns
        assertThat(spread(b, 10)).containsEntry(1, 5).containsEntry(2, 5);
    }

    @Test
    @DisplayName("power of two choices avoids the loaded backend and spreads over the rest")
    void powerOfTwo() {
        Backend loaded = backend(1, 1);
        for (int i = 0; i < 100; i++) loaded.started();
        Balancer b =
                Balancer.of(Rule.POWER_OF_TWO_CHOICES, List.of(loaded, backend(2, 1), backend(3, 1), backend(4, 1)));
        Map<Integer, Integer> counts = spread(b, 3000);
        assertThat(counts).doesNotContainKey(1);
        assertThat(counts.values()).allMatch(c -> c > 800);
    }

    @Test
    @DisplayName("consistent hash keeps a key on its backend, and moves only the keys of a backend that leaves")
    void consistentHash() {
        var bs = List.of(backend(1, 1), backend(2, 1), backend(3, 1), backend(4, 1));
        Balancer b = Balancer.of(Rule.CONSISTENT_HASH, bs);
        Map<String, Backend> before = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            String client = "10.0." + (i / 250) + "." + (i % 250);
            Backend first = b.pick(ConsistentHash.key(client), NOW).orElseThrow();
            assertThat(b.pick(ConsistentHash.key(client), NOW)).containsSame(first);
            before.put(client, first);
        }
        Map<Backend, Long> share =
                before.values().stream().collect(Collectors.groupingBy(x -> x, Collectors.counting()));
        assertThat(share.values()).allMatch(n -> n > 300 && n < 700);

        Backend leaving = bs.get(2);
        leaving.eject(NOW + 1);
        int moved = 0;
        for (var e : before.entrySet()) {
            Backend now = b.pick(ConsistentHash.key(e.getKey()), NOW).orElseThrow();
            assertThat(now).isNotSameAs(leaving);
            if (e.getValue() != leaving && now != e.getValue()) moved++;
        }
        assertThat(moved).isZero();
    }

    @org.junit.jupiter.api.Test
    @org.junit.jupiter.api.DisplayName("every rule a spec may name is a rule the load balancer has")
    void specRulesParse() {
        for (String name : io.wharf.core.spec.LoadBalancing.RULES) {
            org.assertj.core.api.Assertions.assertThat(
                            Rule.parse(name).name().replace('_', '-').toLowerCase())
                    .isEqualTo(name);
        }
    }
}
