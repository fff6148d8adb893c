package io.wharf.server.registry;

import static java.util.Objects.requireNonNull;

import io.wharf.core.registry.EndpointId;

/**
 * One change to one service's endpoints, at one revision. Immutable; the same instance goes to every
 * watcher, so its encoded form is computed once and shared.
 */
public abstract sealed class ChangeEvent extends EncodedForm<ChangeEvent> permits ChangeEvent.Put, ChangeEvent.Delete {
    private final long revision;
    private final long madeAtNanos;

    private ChangeEvent(long revision, long madeAtNanos) {
        this.revision = revision;
        this.madeAtNanos = madeAtNanos;
    }

    /** The revision of the change. */
    public long revision() {
        return revision;
    }

    /** {@link System#nanoTime()} when the change was made, for measuring how fast it reaches watchers. */
    public long madeAtNanos() {
        return madeAtNanos;
    }

    /** An endpoint was added or changed. */
    public static final class Put extends ChangeEvent {
        private final RegisteredEndpoint endpoint;

        Put(long revision, long madeAtNanos, RegisteredEndpoint endpoint) {
            super(revision, madeAtNanos);
            this.endpoint = requireNonNull(endpoint, "endpoint");
        }

        /** The endpoint as it is now. */
        public RegisteredEndpoint endpoint() {
            return endpoint;
        }
    }

    /** An endpoint left the registry. */
    public static final class Delete extends ChangeEvent {
        private final EndpointId id;
        private final String reason;

        Delete(long revision, long madeAtNanos, EndpointId id, String reason) {
            super(revision, madeAtNanos);
            this.id = requireNonNull(id, "id");
            this.reason = requireNonNull(reason, "reason");
        }

        /** The endpoint that left. */
        public EndpointId id() {
            return id;
        }

        /** Why: {@code deregistered}, {@code lease expired} or {@code lease revoked}. */
        public String reason() {
            return reason;
        }
    }
}
