package io.wharf.server.registry;

import io.wharf.core.registry.EndpointId;

/** One change to one service's endpoints, at one revision. */
public sealed interface ChangeEvent {
    /** The revision of the change. */
    long revision();

    /** {@link System#nanoTime()} when the change was made, for measuring how fast it reaches watchers. */
    long madeAtNanos();

    /** An endpoint was added or changed. */
    record Put(long revision, long madeAtNanos, RegisteredEndpoint endpoint) implements ChangeEvent {}

    /** An endpoint left the registry. */
    record Delete(long revision, long madeAtNanos, EndpointId id, String reason) implements ChangeEvent {}
}
