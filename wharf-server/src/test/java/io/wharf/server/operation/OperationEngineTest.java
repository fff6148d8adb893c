package io.wharf.server.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.client.wire.OperationStatus;
import io.wharf.client.wire.Registration;
import io.wharf.core.ConflictException;
import io.wharf.core.registry.ServiceKey;
import io.wharf.server.cluster.ClusterView;
import io.wharf.store.OperationRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The engine itself, on a kind that counts to a goal, pausing and resuming a container's agent as it goes. */
class OperationEngineTest {
    /** Counts to {@code goal}; with {@code explode}, every step throws. */
    record Count(String service, int n, int goal, boolean explode) {
        Count next() {
            return new Count(service, n + 1, goal, explode);
        }
    }

    static final class Counting implements OperationKind<Count> {
        @Override
        public String name() {
            return "count";
        }

        @Override
        public Class<Count> stateType() {
            return Count.class;
        }

        @Override
        public String subject(Count state) {
            return state.service();
        }

        @Override
        public Set<ServiceKey> services(Count state) {
            return Set.of(new ServiceKey("default", state.service()));
        }

        @Override
        public Step<Count> step(Count state, ClusterView view) {
            if (state.explode()) throw new IllegalStateException("cannot count on " + state.service());
            Count next = state.next();
            List<Intent> intents = List.of(new Intent.SetRegistration("c-" + next.n(), Registration.PAUSED));
            return next.n() >= state.goal()
                    ? new Step.Done<>(next, intents, "counted to " + next.n())
                    : new Step.Continue<>(next, intents, Duration.ofMillis(100));
        }

        @Override
        public List<Intent> abandon(Count state) {
            return List.of(new Intent.SetRegistration("c-" + state.n(), Registration.ACTIVE));
        }
    }

    private final Counting kind = new Counting();
    private final Harness h = new Harness(kind);

    @Test
    @DisplayName("a step that goes on is stored before its intents are applied; one that ends applies them first")
    void storesBeforeApplyingAndAppliesBeforeEnding() {
        List<String> seenAtApply = new ArrayList<>();
        OperationEngine engine = new OperationEngine(
                        h.store,
                        h.cluster,
                        (owner, intents) -> {
                            OperationRecord stored = h.store.get("op-1").orElseThrow();
                            seenAtApply.add(stored.status() + " " + stored.state());
                            return List.of();
                        },
                        h.cluster.clock,
                        OperationEngine.Settings.defaults())
                .register(kind);
        engine.submit(kind, "op-1", new Count("web", 0, 2, false));
        engine.pass();
        h.cluster.clock.advance(Duration.ofMillis(100));
        engine.pass();
        assertThat(seenAtApply)
                .containsExactly(
                        "RUNNING {\"service\":\"web\",\"n\":1,\"goal\":2,\"explode\":false}",
                        "RUNNING {\"service\":\"web\",\"n\":1,\"goal\":2,\"explode\":false}");
        assertThat(engine.get(kind, "op-1").orElseThrow().status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(engine.get(kind, "op-1").orElseThrow().reason()).isEqualTo("counted to 2");
    }

    @Test
    @DisplayName("a failing step is retried with back-off, its error visible; after the last attempt the"
            + " operation fails and what it began is undone")
    void retriesThenGivesUp() {
        h.engine.submit(kind, "op-1", new Count("web", 3, 9, true));
        h.engine.pass();
        Operation<Count> op = h.op(kind, "op-1");
        assertThat(op.status()).isEqualTo(OperationStatus.RUNNING);
        assertThat(op.attempts()).isEqualTo(1);
        assertThat(op.lastError()).isEqualTo("IllegalStateException: cannot count on web");
        // not due again before its back-off
        h.engine.pass();
        assertThat(h.op(kind, "op-1").attempts()).isEqualTo(1);
        for (int i = 0; i < 10 && h.op(kind, "op-1").status() == OperationStatus.RUNNING; i++) {
            h.cluster.clock.advance(Duration.ofSeconds(2));
            h.engine.pass();
        }
        op = h.op(kind, "op-1");
        assertThat(op.status()).isEqualTo(OperationStatus.FAILED);
        assertThat(op.reason())
                .isEqualTo("gave up after 5 failed steps; last: IllegalStateException: cannot count on web");
        assertThat(h.cluster.applied).containsExactly(new Intent.SetRegistration("c-3", Registration.ACTIVE));
    }

    @Test
    @DisplayName("an operation row that cannot be read fails alone, saying why, while the others go on")
    void corruptRowFailsAlone() {
        h.engine.submit(kind, "good", new Count("web", 0, 3, false));
        h.store.put(new OperationRecord(
                "bad",
                "count",
                "api",
                OperationStatus.RUNNING,
                "",
                "{\"n\": [",
                1,
                0,
                "",
                Harness.START,
                Harness.START));
        h.store.put(new OperationRecord(
                "alien", "teleport", "x", OperationStatus.RUNNING, "", "{}", 1, 0, "", Harness.START, Harness.START));
        h.restart();
        assertThat(h.store.get("bad").orElseThrow().status()).isEqualTo(OperationStatus.FAILED);
        assertThat(h.store.get("bad").orElseThrow().reason()).startsWith("its state cannot be read (not a Count:");
        assertThat(h.store.get("alien").orElseThrow().reason())
                .isEqualTo("this server has no operations of kind teleport");
        Operation<Count> good = h.untilEnded(kind, "good", 10, Duration.ofMillis(100));
        assertThat(good.status()).isEqualTo(OperationStatus.COMPLETED);
    }

    @Test
    @DisplayName("one failing operation does not hold up another")
    void errorsAreIsolated() {
        h.engine.submit(kind, "bad", new Count("api", 0, 3, true));
        h.engine.submit(kind, "good", new Count("web", 0, 3, false));
        assertThat(h.untilEnded(kind, "good", 10, Duration.ofMillis(100)).status())
                .isEqualTo(OperationStatus.COMPLETED);
        assertThat(h.op(kind, "bad").status()).isEqualTo(OperationStatus.RUNNING);
    }

    @Test
    @DisplayName("a second start of the engine is refused")
    void startsOnce() {
        h.engine.start();
        try {
            assertThatThrownBy(h.engine::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("the operation engine is RUNNING (expected: NEW)");
        } finally {
            h.engine.close();
        }
        assertThatThrownBy(h.engine::start).hasMessage("the operation engine is CLOSED (expected: NEW)");
    }

    @Test
    @DisplayName("one operation at a time per service: a second is refused with the one that runs")
    void oneAtATimePerService() {
        h.engine.submit(kind, "op-1", new Count("web", 0, 3, false));
        assertThatThrownBy(() -> h.engine.submit(kind, "op-2", new Count("web", 0, 3, false)))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("count op-1 is running on default/web");
        h.engine.submit(kind, "op-3", new Count("api", 0, 3, false));
        h.untilEnded(kind, "op-1", 10, Duration.ofMillis(100));
        h.engine.submit(kind, "op-2", new Count("web", 0, 3, false));
    }

    @Test
    @DisplayName("a row written meanwhile by another writer is read again, never overwritten")
    void optimisticVersions() {
        h.engine.submit(kind, "op-1", new Count("web", 0, 5, false));
        h.engine.pass();
        OperationRecord r = h.store.get("op-1").orElseThrow();
        h.store.put(
                r.next(OperationStatus.RUNNING, "", "{\"service\":\"web\",\"n\":3,\"goal\":5}", 0, "", r.updatedAt()));
        h.cluster.clock.advance(Duration.ofMillis(100));
        h.engine.pass();
        assertThat(h.op(kind, "op-1").lastError()).contains("was written by someone else");
        Operation<Count> end = h.untilEnded(kind, "op-1", 20, Duration.ofMillis(100));
        assertThat(end.state().n()).isEqualTo(5);
        assertThat(h.cluster.applied(Intent.SetRegistration.class))
                .extracting(Intent.SetRegistration::container)
                .containsExactly("c-1", "c-4", "c-5");
    }
}
