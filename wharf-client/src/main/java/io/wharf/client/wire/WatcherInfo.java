package io.wharf.client.wire;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One watcher of a service: a load balancer, an SDK cache, a CLI.
 */
public final class WatcherInfo {
    private final String id;
    private final WatcherKind kind;
    private final long acknowledged;
    private final boolean connected;
    private final boolean acknowledges;

    public WatcherInfo(
            @Nullable String id, WatcherKind kind, long acknowledged, boolean connected, boolean acknowledges) {
        this.id = id == null ? "" : id;
        this.kind = Objects.requireNonNull(kind, "kind");
        this.acknowledged = acknowledged;
        this.connected = connected;
        this.acknowledges = acknowledges;
    }

    /** Its id. */
    public String id() {
        return id;
    }

    /** How it follows changes. */
    public WatcherKind kind() {
        return kind;
    }

    /** The highest revision it has acknowledged applying. */
    public long acknowledged() {
        return acknowledged;
    }

    /** Whether it has a connection open. */
    public boolean connected() {
        return connected;
    }

    /** Whether it declared that it acknowledges: only such watchers are waited for by drains. */
    public boolean acknowledges() {
        return acknowledges;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof WatcherInfo)) return false;
        WatcherInfo other = (WatcherInfo) o;
        return Objects.equals(id, other.id)
                && Objects.equals(kind, other.kind)
                && acknowledged == other.acknowledged
                && connected == other.connected
                && acknowledges == other.acknowledges;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, kind, acknowledged, connected, acknowledges);
    }

    @Override
    public String toString() {
        return "WatcherInfo[" + "id=" + id + ", kind=" + kind + ", acknowledged=" + acknowledged + ", connected="
                + connected + ", acknowledges=" + acknowledges + "]";
    }
}
