package io.wharf.lb.balance;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.client.sdk.Rule;
import io.wharf.client.wire.EndpointState;
import io.wharf.core.registry.EndpointId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BackendSetTest {
    static final long NOW = 1_000_000_000L;
    static final EndpointId A = EndpointId.parse("127.0.1.2_8080");
    static final EndpointId B = EndpointId.parse("127.0.1.3_8080");

    static BackendSet.Member up(EndpointId id, int weight) {
        return new BackendSet.Member(id, EndpointState.UP, weight);
    }

    static Set<EndpointId> picks(BackendSet set, int n) {
        Set<EndpointId> seen = new HashSet<>();
        for (int i = 0; i < n; i++) set.pick(i, NOW).ifPresent(b -> seen.add(b.id()));
        return seen;
    }

    @Test
    @DisplayName("added endpoints get requests; removed and draining ones get none")
    void followsTheRegistry() {
        BackendSet set = new BackendSet(Rule.ROUND_ROBIN);
        assertThat(set.pick(0, NOW)).isEmpty();
        set.apply(List.of(up(A, 1)));
        assertThat(picks(set, 10)).containsExactly(A);
        set.apply(List.of(up(A, 1), up(B, 1)));
        assertThat(picks(set, 10)).containsExactlyInAnyOrder(A, B);
        set.apply(List.of(new BackendSet.Member(A, EndpointState.DRAINING, 1), up(B, 1)));
        assertThat(picks(set, 10)).containsExactly(B);
        set.apply(List.of(up(A, 1)));
        assertThat(picks(set, 10)).containsExactly(A);
    }

    @Test
    @DisplayName("every endpoint ejected: the one back first is picked; a draining one never is")
    void allEjectedPicksTheOneBackFirst() {
        for (Rule rule : Rule.values()) {
            BackendSet set = new BackendSet(rule);
            set.apply(List.of(up(A, 1), up(B, 1)), NOW);
            Backend a = find(set, A);
            Backend b = find(set, B);
            a.eject(NOW + 2_000);
            b.eject(NOW + 1_000);
            assertThat(set.pick(7, NOW).map(Backend::id)).as(rule.toString()).hasValue(B);
            b.eject(NOW + 3_000);
            assertThat(set.pick(7, NOW).map(Backend::id)).as(rule.toString()).hasValue(A);
            set.apply(List.of(new BackendSet.Member(A, EndpointState.DRAINING, 1), up(B, 1)), NOW);
            assertThat(set.pick(7, NOW).map(Backend::id)).as(rule.toString()).hasValue(B);
            set.apply(List.of(new BackendSet.Member(A, EndpointState.DRAINING, 1)), NOW);
            assertThat(set.pick(7, NOW)).as(rule.toString()).isEmpty();
        }
    }

    private static Backend find(BackendSet set, EndpointId id) {
        for (int i = 0; i < 1000; i++) {
            Backend b = set.pick(i * 7919L, NOW).orElseThrow();
            if (b.id().equals(id)) return b;
        }
        throw new AssertionError(id + " never picked");
    }

    @Test
    @DisplayName("an endpoint that left is reported drained once, when its last request finishes, and not after it"
            + " returns")
    void drainedIsToldWhenTheLastRequestFinishes() {
        AtomicInteger drained = new AtomicInteger();
        BackendSet set = new BackendSet(Rule.ROUND_ROBIN, drained::incrementAndGet);
        set.apply(List.of(up(A, 1), up(B, 1)));
        Backend a = set.inFlight().containsKey(A) ? pickA(set) : null;
        assertThat(a).isNotNull();
        a.started();
        a.finished(); // still in the service: nothing to tell
        assertThat(drained).hasValue(0);
        a.started();
        a.started();
        set.apply(List.of(up(B, 1)));
        a.finished();
        assertThat(drained).hasValue(0);
        a.finished();
        assertThat(drained).hasValue(1);
        // back in the service (still the same backend while it was draining): its requests finishing say nothing
        a.started();
        set.apply(List.of(up(B, 1)));
        set.apply(List.of(up(A, 1), up(B, 1)));
        a.finished();
        assertThat(drained).hasValue(1);
    }

    private static Backend pickA(BackendSet set) {
        for (int i = 0; i < 4; i++) {
            var b = set.pick(i, NOW).orElseThrow();
            if (b.id().equals(A)) return b;
        }
        throw new AssertionError("A never picked");
    }

    @Test
    @DisplayName("a drained endpoint's requests in flight are still counted until they finish")
    void inFlightSurvivesRemoval() {
        BackendSet set = new BackendSet(Rule.ROUND_ROBIN);
        set.apply(List.of(up(A, 1), up(B, 1)));
        Backend a = set.pick(0, NOW).filter(b -> b.id().equals(A)).orElseGet(() -> set.pick(1, NOW)
                .orElseThrow());
        assertThat(a.id()).isEqualTo(A);
        a.started();
        a.started();
        set.apply(List.of(up(B, 1)));
        assertThat(set.inFlight(A)).isEqualTo(2);
        assertThat(set.inFlight()).containsEntry(A, 2).containsEntry(B, 0);
        a.finished();
        a.finished();
        assertThat(set.inFlight(A)).isZero();
        set.apply(List.of(up(B, 1)));
        assertThat(set.inFlight()).containsOnlyKeys(B);
    }

    @Test
    @DisplayName("a re-weighted endpoint keeps its in-flight count and gets its new share")
    void reweight() {
        BackendSet set = new BackendSet(Rule.WEIGHTED_ROUND_ROBIN);
        set.apply(List.of(up(A, 1), up(B, 1)));
        Backend first = set.pick(0, NOW).orElseThrow();
        first.started();
        set.apply(List.of(up(A, 3), up(B, 1)));
        assertThat(set.inFlight(first.id())).isEqualTo(1);
        int toA = 0;
        for (int i = 0; i < 400; i++) if (set.pick(i, NOW).orElseThrow().id().equals(A)) toA++;
        assertThat(toA).isEqualTo(300);
        set.apply(List.of(up(A, 0), up(B, 1)));
        assertThat(picks(set, 10)).containsExactly(B);
    }

    static final EndpointId C = EndpointId.parse("127.0.1.4_8080");
    static final EndpointId D = EndpointId.parse("127.0.1.5_8080");
    static final long SECOND = 1_000_000_000L;

    /** How many of {@code n} picks at {@code now} go to each endpoint. */
    static java.util.Map<EndpointId, Integer> shares(BackendSet set, int n, long now) {
        java.util.Map<EndpointId, Integer> count = new java.util.TreeMap<>();
        for (int i = 0; i < n; i++) set.pick(i, now).ifPresent(b -> count.merge(b.id(), 1, Integer::sum));
        return count;
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(
            value = Rule.class,
            names = {"ROUND_ROBIN", "WEIGHTED_ROUND_ROBIN", "POWER_OF_TWO_CHOICES"})
    @DisplayName("slow start: a new endpoint counts for a tenth of its weight at first, growing evenly to all of it")
    void slowStart(Rule rule) {
        BackendSet set = new BackendSet(rule);
        set.slowStart(java.time.Duration.ofSeconds(10));
        set.apply(List.of(up(A, 1), up(B, 1), up(C, 1)), NOW);
        long t = NOW + 60 * SECOND; // A, B and C are long warm
        set.apply(List.of(up(A, 1), up(B, 1), up(C, 1), up(D, 1)), t);
        int n = 40_000; // D's full share is a quarter: 10,000
        assertThat(shares(set, n, t).get(D)).isBetween(1_000, 1_600); // weights 1, 1, 1, 0.1: 1,290
        assertThat(shares(set, n, t + 5 * SECOND).get(D)).isBetween(5_700, 6_700); // 1, 1, 1, 0.55: 6,197
        assertThat(shares(set, n, t + 10 * SECOND).get(D)).isBetween(9_500, 10_500); // all of it
        // what D declines, the others take alike: 12,903 each
        assertThat(shares(set, n, t)).allSatisfy((id, c) -> {
            if (!id.equals(D)) assertThat(c).isBetween(12_300, 13_500);
        });

        // an endpoint that comes back (drained, then registered again) starts slowly again
        set.apply(List.of(up(A, 1), up(B, 1), up(C, 1)), t + 20 * SECOND);
        set.apply(List.of(up(A, 1), up(B, 1), up(C, 1), up(D, 1)), t + 21 * SECOND);
        assertThat(shares(set, n, t + 21 * SECOND).get(D)).isBetween(1_000, 1_600);
        // turned off, it gets its share at once
        set.slowStart(java.time.Duration.ZERO);
        assertThat(shares(set, n, t + 21 * SECOND).get(D)).isBetween(9_500, 10_500);
    }

    @Test
    @DisplayName("slow start: endpoints that begin together share alike, in the rule's order")
    void slowStartTogether() {
        BackendSet set = new BackendSet(Rule.ROUND_ROBIN);
        set.slowStart(java.time.Duration.ofSeconds(10));
        set.apply(List.of(up(A, 1), up(B, 1)), NOW);
        List<EndpointId> order = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++)
            order.add(set.pick(i, NOW + SECOND).orElseThrow().id());
        assertThat(order).containsExactly(A, B, A, B, A, B);
    }

    @Test
    @DisplayName("slow start: the consistent hash keeps each key on its endpoint")
    void noSlowStartForTheHash() {
        // least connections has none either: it sends a slow endpoint fewer requests by itself
        BackendSet least = new BackendSet(Rule.LEAST_CONNECTIONS);
        least.slowStart(java.time.Duration.ofSeconds(10));
        least.apply(List.of(up(A, 1), up(B, 1), up(C, 1)), NOW);
        least.apply(List.of(up(A, 1), up(B, 1), up(C, 1), up(D, 1)), NOW + 60 * SECOND);
        assertThat(shares(least, 40_000, NOW + 60 * SECOND).get(D)).isEqualTo(10_000);

        BackendSet set = new BackendSet(Rule.CONSISTENT_HASH);
        set.slowStart(java.time.Duration.ofSeconds(10));
        set.apply(List.of(up(A, 1), up(B, 1), up(C, 1)), NOW);
        set.apply(List.of(up(A, 1), up(B, 1), up(C, 1), up(D, 1)), NOW + 60 * SECOND);
        for (long key = 0; key < 1_000; key++) {
            EndpointId first = set.pick(key, NOW + 60 * SECOND).orElseThrow().id();
            assertThat(set.pick(key, NOW + 60 * SECOND).orElseThrow().id()).isEqualTo(first);
        }
        assertThat(shares(set, 40_000, NOW + 60 * SECOND).get(D)).isGreaterThan(5_000);
    }
}
