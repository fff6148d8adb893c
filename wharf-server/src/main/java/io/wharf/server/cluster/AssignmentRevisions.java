package io.wharf.server.cluster;

import io.wharf.server.registry.ChangeNotifier;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per host, the revision of its assignments that its agent long-polls on: raised whenever one of its
 * container rows or any published route changes. Revisions come from one counter, so a host's only rise.
 */
public final class AssignmentRevisions {
    private final AtomicLong counter = new AtomicLong();
    private final Map<String, ChangeNotifier> hosts = new ConcurrentHashMap<>();
    private final Executor executor;

    public AssignmentRevisions(Executor executor) {
        this.executor = executor;
    }

    /** Tells the agent of {@code host} that its assignments changed. */
    public void bump(String host) {
        notifier(host).advance(counter.incrementAndGet());
    }

    /** Tells every agent that its assignments changed (the published routes did). */
    public void bumpAll(Iterable<String> hostIds) {
        hostIds.forEach(this::bump);
    }

    /** The host's revision now. */
    public long revision(String host) {
        return notifier(host).revision();
    }

    /**
     * Completes once the host's revision passes {@code index}; at once if {@code index} is ahead of every
     * revision handed out, as an agent's is after the server restarted.
     */
    public CompletableFuture<Long> changeAfter(String host, long index) {
        ChangeNotifier n = notifier(host);
        return index > counter.get() ? CompletableFuture.completedFuture(n.revision()) : n.changeAfter(index);
    }

    private ChangeNotifier notifier(String host) {
        return hosts.computeIfAbsent(host, h -> new ChangeNotifier(0, executor));
    }
}
