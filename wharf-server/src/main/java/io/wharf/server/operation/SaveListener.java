package io.wharf.server.operation;

import io.wharf.store.OperationRecord;

/** Told after every write of an operation, on the engine's thread: the scale-out task table is kept this way. */
@FunctionalInterface
public interface SaveListener<S> {
    void saved(OperationRecord record, S state);
}
