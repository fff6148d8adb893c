package io.wharf.server.migration;

import io.wharf.client.wire.ClientDesired;
import io.wharf.client.wire.ClientReport;
import io.wharf.client.wire.OperationStatus;
import io.wharf.server.operation.Operation;
import io.wharf.server.operation.OperationEngine;
import io.wharf.store.OperationRecord;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every migration's latest state, kept in memory from the engine's writes, for what SDK instances ask at every
 * report: the interfaces they are to use. For an instance, the newest migration of its namespace that covers a
 * service it provides or consumes decides — while it runs, by its step; once completed, the new interface alone;
 * once failed, the old one alone. So an instance that restarts, or was away, takes the state it should be in.
 */
public final class Migrations {
    private record Known(OperationStatus status, Instant createdAt, MigrationState state) {}

    private final MigrationKind kind;
    private final Map<String, Known> byId = new ConcurrentHashMap<>();

    public Migrations(MigrationKind kind) {
        this.kind = kind;
    }

    /** Reads the migrations in the store and follows the engine's writes of new states; before it starts. */
    public Migrations follow(OperationEngine engine) {
        for (Operation<MigrationState> op : engine.list(kind)) {
            byId.put(op.id(), new Known(op.status(), op.createdAt(), op.state()));
        }
        engine.onSaved(kind, this::saved);
        return this;
    }

    /** Takes in a migration as it was written. */
    void saved(OperationRecord record, MigrationState state) {
        byId.put(record.id(), new Known(record.status(), record.createdAt(), state));
    }

    /** Takes in a migration just submitted. */
    public void submitted(Operation<MigrationState> op) {
        byId.put(op.id(), new Known(op.status(), op.createdAt(), op.state()));
    }

    /** The interfaces the instance that sent {@code report} is to use; empty when no migration concerns it. */
    public Optional<ClientDesired> desired(String namespace, ClientReport report) {
        return byId.values().stream()
                .filter(k -> k.state().namespace().equals(namespace))
                .filter(k -> Wanted.roles(k.state(), report).any())
                .max(Comparator.comparing(Known::createdAt))
                .map(k -> Wanted.of(k.state(), effective(k), Wanted.roles(k.state(), report)));
    }

    private static Phase effective(Known k) {
        return switch (k.status()) {
            case RUNNING -> k.state().phase();
            case COMPLETED, COMPLETED_WITH_SKIPS -> Phase.DONE;
            case FAILED -> Phase.SWITCHED_BACK;
        };
    }

    /** The image whose package a migration of {@code namespace} asks its instances to install, by sha256. */
    public Optional<String> packageImage(String namespace, String sha256) {
        return byId.values().stream()
                .map(Known::state)
                .filter(s -> s.namespace().equals(namespace)
                        && s.to().packageDigest().equals(sha256))
                .map(s -> s.to().packageImage())
                .filter(i -> !i.isEmpty())
                .findFirst();
    }
}
