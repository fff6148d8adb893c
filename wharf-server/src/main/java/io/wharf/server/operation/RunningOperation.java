package io.wharf.server.operation;

import io.wharf.client.wire.OperationStatus;
import io.wharf.core.registry.ServiceKey;
import io.wharf.server.cluster.ClusterView;
import io.wharf.store.OperationRecord;
import io.wharf.store.OperationStore;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running operation as the engine holds it, and its step: decided by its kind, written to the store,
 * its intents applied, its failures counted. Only the engine's thread steps it.
 */
final class RunningOperation<S> {
    private static final Logger log = LoggerFactory.getLogger(RunningOperation.class);

    /** How a step ended for the engine: it goes on, or it is over. */
    enum Outcome {
        GOES_ON,
        ENDED
    }

    final OperationKind<S> kind;
    private volatile OperationRecord record;
    private volatile S state;
    volatile Instant due;
    private int attempts;
    private String lastError;

    RunningOperation(OperationKind<S> kind, OperationRecord record, Instant due) {
        this.kind = kind;
        this.record = record;
        this.state = OperationCodec.read(record.state(), kind.stateType());
        this.due = due;
        this.attempts = record.attempts();
        this.lastError = record.lastError();
    }

    String id() {
        return record.id();
    }

    OperationRecord record() {
        return record;
    }

    Set<ServiceKey> services() {
        return kind.services(state);
    }

    /**
     * Takes the next step on {@code view}. A step that goes on is stored before its intents are applied; one
     * that ends applies its intents first. A step that throws counts as a failed attempt.
     */
    Outcome step(ClusterView view, IntentApplier applier, Writes writes, OperationEngine.Settings settings) {
        Instant now = view.now();
        String owner = kind.name() + " " + record.id();
        try {
            switch (kind.step(state, view)) {
                case Step.Continue<S> c -> {
                    // the attempts count on until the intents are applied too
                    save(writes, c.state(), OperationStatus.RUNNING, "", attempts, lastError);
                    List<io.wharf.server.operation.Outcome> outcomes = applier.apply(owner, c.intents());
                    attempts = 0;
                    lastError = "";
                    save(writes, kind.applied(c.state(), outcomes, now), OperationStatus.RUNNING, "", 0, "");
                    due = now.plus(c.recheckAfter());
                    return Outcome.GOES_ON;
                }
                case Step.Done<S> d -> {
                    applier.apply(owner, d.intents());
                    save(writes, d.state(), OperationStatus.COMPLETED, d.summary(), 0, "");
                    log.info("operation completed id={} kind={} reason=\"{}\"", record.id(), kind.name(), d.summary());
                    return Outcome.ENDED;
                }
                case Step.Failed<S> f -> {
                    applier.apply(owner, f.intents());
                    save(writes, f.state(), OperationStatus.FAILED, f.reason(), 0, "");
                    log.info("operation failed id={} kind={} reason=\"{}\"", record.id(), kind.name(), f.reason());
                    return Outcome.ENDED;
                }
            }
        } catch (RuntimeException error) {
            return failedAttempt(owner, error, now, applier, writes, settings);
        }
    }

    private Outcome failedAttempt(
            String owner,
            RuntimeException error,
            Instant now,
            IntentApplier applier,
            Writes writes,
            OperationEngine.Settings settings) {
        attempts++;
        lastError = error.getClass().getSimpleName() + ": " + error.getMessage();
        log.warn(
                "operation step failed id={} kind={} attempt={} error=\"{}\"",
                record.id(),
                kind.name(),
                attempts,
                lastError,
                error);
        long backoff = settings.firstRetry().toMillis() << Math.min(attempts - 1, 20);
        due = now.plusMillis(Math.min(backoff, settings.maxRetry().toMillis()));
        try {
            if (attempts >= settings.maxAttempts()) {
                String reason = "gave up after " + attempts + " failed steps; last: " + lastError;
                applier.apply(owner, kind.abandon(state));
                save(writes, state, OperationStatus.FAILED, reason, attempts, lastError);
                log.warn("operation failed id={} kind={} reason=\"{}\"", record.id(), kind.name(), reason);
                return Outcome.ENDED;
            }
            save(writes, state, OperationStatus.RUNNING, "", attempts, lastError);
        } catch (RuntimeException alsoFailed) {
            log.warn("recording a failed step failed id={} error=\"{}\"", record.id(), alsoFailed.toString());
        }
        return Outcome.GOES_ON;
    }

    /** Where a running operation is written, and who hears of each write. */
    record Writes(OperationStore store, java.time.Clock clock, BiConsumer<OperationRecord, Object> listeners) {}

    private void save(Writes writes, S next, OperationStatus status, String reason, int tries, String error) {
        OperationRecord r = record;
        if (next.equals(state)
                && status == r.status()
                && reason.equals(r.reason())
                && tries == r.attempts()
                && error.equals(r.lastError())) {
            return;
        }
        OperationRecord written = r.next(
                status,
                reason,
                OperationCodec.write(next),
                tries,
                error,
                writes.clock().instant());
        if (!writes.store().update(written)) {
            OperationRecord stored = writes.store()
                    .get(r.id())
                    .orElseThrow(() -> new IllegalStateException("operation " + r.id() + " is gone from the store"));
            record = stored;
            state = OperationCodec.read(stored.state(), kind.stateType());
            throw new IllegalStateException("operation " + r.id() + " was written by someone else (version "
                    + stored.version() + ", expected " + r.version() + "); read it again");
        }
        record = written;
        state = next;
        writes.listeners().accept(written, next);
    }
}
