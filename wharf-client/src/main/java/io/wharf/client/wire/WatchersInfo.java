package io.wharf.client.wire;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A service's watchers, and those that have not yet acknowledged a revision.
 */
public final class WatchersInfo {
    private final String namespace;
    private final String service;
    private final long revision;
    private final List<WatcherInfo> watchers;
    private final List<String> pending;

    public WatchersInfo(
            @Nullable String namespace,
            @Nullable String service,
            long revision,
            @Nullable List<WatcherInfo> watchers,
            @Nullable List<String> pending) {
        this.namespace = namespace == null ? "" : namespace;
        this.service = service == null ? "" : service;
        this.revision = revision;
        this.watchers = watchers == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(watchers));
        this.pending = pending == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(pending));
    }

    /** The namespace. */
    public String namespace() {
        return namespace;
    }

    /** The service. */
    public String service() {
        return service;
    }

    /** The revision asked about. */
    public long revision() {
        return revision;
    }

    /** Every watcher. */
    public List<WatcherInfo> watchers() {
        return watchers;
    }

    /** The watchers that have not acknowledged {@code revision}. */
    public List<String> pending() {
        return pending;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof WatchersInfo)) return false;
        WatchersInfo other = (WatchersInfo) o;
        return Objects.equals(namespace, other.namespace)
                && Objects.equals(service, other.service)
                && revision == other.revision
                && Objects.equals(watchers, other.watchers)
                && Objects.equals(pending, other.pending);
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespace, service, revision, watchers, pending);
    }

    @Override
    public String toString() {
        return "WatchersInfo[" + "namespace=" + namespace + ", service=" + service + ", revision=" + revision
                + ", watchers=" + watchers + ", pending=" + pending + "]";
    }
}
