package io.wharf.server.operation;

import io.wharf.client.wire.OperationStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * An {@link OperationEngine} over a {@link FakeCluster} and a {@link MemoryOperationStore}, driven pass by pass
 * on a clock the test moves: each {@link #cycle} is one pass, then the world catching up, then time going on.
 */
public final class Harness {
    public static final Instant START = Instant.parse("2026-11-30T12:00:00Z");

    public final FakeCluster cluster = new FakeCluster(START);
    public final MemoryOperationStore store = new MemoryOperationStore();
    public OperationEngine engine;
    private final OperationKind<?>[] kinds;

    public Harness(OperationKind<?>... kinds) {
        this.kinds = kinds;
        this.engine = newEngine();
    }

    /** An engine as a restarted server has it: over the same store and cluster, loading what runs. */
    public OperationEngine newEngine() {
        OperationEngine e = new OperationEngine(
                store,
                cluster,
                cluster,
                cluster.clock,
                new OperationEngine.Settings(5, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ZERO));
        for (OperationKind<?> k : kinds) e.register(k);
        return e;
    }

    /** Replaces the engine with a new one that loads the running operations, as after kill -9 of the server. */
    public void restart() {
        engine = newEngine();
        engine.load();
    }

    /** One pass, then the world catches up, then {@code step} passes. */
    public void cycle(Duration step) {
        engine.pass();
        cluster.world();
        cluster.clock.advance(step);
    }

    /** One pass, with nothing else happening but time. */
    public void pass(Duration step) {
        engine.pass();
        cluster.clock.advance(step);
    }

    /** Cycles until {@code done} holds of the operation, at most {@code cycles} times. */
    public <S> Operation<S> until(
            OperationKind<S> kind, String id, Predicate<Operation<S>> done, int cycles, Duration step) {
        for (int i = 0; i < cycles; i++) {
            Operation<S> op = op(kind, id);
            if (done.test(op)) return op;
            cycle(step);
        }
        Operation<S> op = op(kind, id);
        if (done.test(op)) return op;
        throw new AssertionError("not reached in " + cycles + " cycles: " + op);
    }

    /** Cycles until the operation ends. */
    public <S> Operation<S> untilEnded(OperationKind<S> kind, String id, int cycles, Duration step) {
        return until(kind, id, op -> op.status() != OperationStatus.RUNNING, cycles, step);
    }

    public <S> Operation<S> op(OperationKind<S> kind, String id) {
        return engine.get(kind, id).orElseThrow();
    }
}
