package io.wharf.client.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DiscoveryTest {
    static Instance instance(int n, int weight, boolean up) {
        return new Instance("default", "orders", "127.0.70." + n, 8080, "v1", weight, up, Map.of());
    }

    static Discovery view(Rule rule) {
        return new Discovery("default", "orders", rule, "", () -> {});
    }

    static Map<String, Integer> picks(Discovery d, int n) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) counts.merge(d.pick().orElseThrow().id(), 1, Integer::sum);
        return counts;
    }

    @Test
    @DisplayName("only instances that are up and have a weight are picked; none known, nothing picked")
    void picksOnlyTakers() {
        Discovery d = view(Rule.ROUND_ROBIN);
        assertThat(d.pick()).isEmpty();
        d.update(List.of(instance(1, 100, true), instance(2, 100, false), instance(3, 0, true)));
        assertThat(picks(d, 10)).containsOnlyKeys("127.0.70.1_8080");
        assertThat(d.instances()).hasSize(3);
    }

    @Test
    @DisplayName("round robin takes each in turn; weighted round robin interleaves by weight")
    void roundRobins() {
        Discovery rr = view(Rule.ROUND_ROBIN);
        rr.update(List.of(instance(1, 100, true), instance(2, 300, true)));
        assertThat(picks(rr, 10)).containsEntry("127.0.70.1_8080", 5).containsEntry("127.0.70.2_8080", 5);
        Discovery w = view(Rule.WEIGHTED_ROUND_ROBIN);
        w.update(List.of(instance(1, 100, true), instance(2, 300, true)));
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 4; i++) order.add(w.pick().orElseThrow().ip());
        assertThat(order).containsExactly("127.0.70.2", "127.0.70.1", "127.0.70.2", "127.0.70.2");
    }

    @Test
    @DisplayName("least connections and two choices go where fewer calls are in flight; a closed call counts no more")
    void countsCallsInFlight() {
        for (Rule rule : List.of(Rule.LEAST_CONNECTIONS, Rule.POWER_OF_TWO_CHOICES)) {
            Discovery d = view(rule);
            d.update(List.of(instance(1, 100, true), instance(2, 100, true)));
            Discovery.Call busy = d.start().orElseThrow();
            Discovery.Call busier = d.start().orElseThrow();
            assertThat(busier.instance()).as(rule.text()).isNotEqualTo(busy.instance());
            Discovery.Call third = d.start().orElseThrow();
            Discovery.Call fourth = d.start().orElseThrow();
            assertThat(d.inFlight()).as(rule.text()).containsValues(2, 2);
            third.close();
            third.close(); // once only
            String freed = third.instance().id();
            assertThat(d.start().orElseThrow().instance().id()).as(rule.text()).isEqualTo(freed);
            busy.close();
            busier.close();
            fourth.close();
        }
    }

    @Test
    @DisplayName("consistent hash: a key keeps its instance while it is there; removing another moves none of its keys")
    void consistentHash() {
        Discovery d = view(Rule.CONSISTENT_HASH);
        d.update(List.of(instance(1, 100, true), instance(2, 100, true), instance(3, 100, true)));
        Map<String, String> before = new HashMap<>();
        for (int k = 0; k < 300; k++)
            before.put("user-" + k, d.pick("user-" + k).orElseThrow().id());
        assertThat(new java.util.HashSet<>(before.values())).hasSize(3);
        d.update(List.of(instance(1, 100, true), instance(2, 100, true)));
        before.forEach((key, was) -> {
            String now = d.pick(key).orElseThrow().id();
            if (!was.equals("127.0.70.3_8080")) assertThat(now).as(key).isEqualTo(was);
        });
    }

    @Test
    @DisplayName("listeners get every list whole and in order; one added later gets the current list at once")
    void listeners() throws Exception {
        Discovery d = view(Rule.ROUND_ROBIN);
        List<String> calls = new ArrayList<>();
        d.addListener(l -> calls.add("a" + l.size()));
        d.addListener(l -> calls.add("b" + l.size()));
        assertThat(calls).isEmpty();
        assertThat(d.awaitKnown(java.time.Duration.ZERO)).isFalse();
        d.update(List.of(instance(1, 100, true)));
        d.update(List.of(instance(1, 100, true), instance(2, 100, true)));
        assertThat(calls).containsExactly("a1", "b1", "a2", "b2");
        d.addListener(l -> calls.add("c" + l.size()));
        assertThat(calls).endsWith("c2");
        assertThat(d.awaitKnown(java.time.Duration.ZERO)).isTrue();
        assertThat(Optional.of(d.toString()))
                .hasValueSatisfying(s -> assertThat(s).contains("2 instances"));
    }

    @Test
    @DisplayName("calls and failed calls count against the interface the picked list came from, across a switch")
    void callsCountPerInterface() {
        Discovery d = new Discovery("default", "orders", Rule.ROUND_ROBIN, "zookeeper", () -> {});
        d.offer("zookeeper", List.of(instance(1, 100, true)));
        d.offer("native", List.of(instance(1, 100, true)));
        d.pick();
        d.start().orElseThrow().failed();
        Discovery.Call before = d.start().orElseThrow();
        d.primary("native");
        d.pick();
        Discovery.Call after = d.start().orElseThrow();
        after.failed();
        after.failed(); // once per call
        before.failed(); // picked from zookeeper's list: counts there, though native is primary now
        assertThat(d.calls("zookeeper")).containsExactly(3, 2);
        assertThat(d.calls("native")).containsExactly(2, 1);
        assertThat(d.calls("none")).containsExactly(0, 0);
    }
}
