package io.wharf.server.registry;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A revision that only rises, and the futures of those waiting for it to pass theirs: a service's changes in
 * the registry, a host's assignments in the cluster. Waiters are answered on {@code executor}, never on the
 * thread that advanced the revision, so that a change made under a lock does not run their callbacks there.
 */
public final class ChangeNotifier {
    private final Executor executor;
    private long revision;
    private CompletableFuture<Long> next = new CompletableFuture<>();

    public ChangeNotifier(long start, Executor executor) {
        this.revision = start;
        this.executor = executor;
    }

    /** The revision now. */
    public synchronized long revision() {
        return revision;
    }

    /** Moves to {@code newRevision} and answers everyone waiting. */
    public synchronized void advance(long newRevision) {
        revision = newRevision;
        CompletableFuture<Long> waiting = next;
        next = new CompletableFuture<>();
        if (waiting.getNumberOfDependents() == 0) {
            waiting.complete(newRevision);
        } else {
            waiting.completeAsync(() -> newRevision, executor);
        }
    }

    /** Completes once the revision is above {@code index}; at once if it already is. */
    public synchronized CompletableFuture<Long> changeAfter(long index) {
        return revision > index ? CompletableFuture.completedFuture(revision) : next.copy();
    }
}
