package io.wharf.lb.balance;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.registry.EndpointId;
import io.wharf.core.registry.EndpointState;
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
}
