package io.wharf.client.wire;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** An SDK instance as the server knows it: its last report, and how long ago it came. */
public final class ClientInfo {
    private final String namespace;
    private final String instance;
    private final ClientReport report;
    private final long lastSeenMillisAgo;

    public ClientInfo(
            @Nullable String namespace, @Nullable String instance, ClientReport report, long lastSeenMillisAgo) {
        this.namespace = namespace == null ? "" : namespace;
        this.instance = instance == null ? "" : instance;
        this.report = Objects.requireNonNull(report, "report");
        this.lastSeenMillisAgo = lastSeenMillisAgo;
    }

    public String namespace() {
        return namespace;
    }

    /** How the instance calls itself, e.g. {@code 4242@web-7}. */
    public String instance() {
        return instance;
    }

    public ClientReport report() {
        return report;
    }

    public long lastSeenMillisAgo() {
        return lastSeenMillisAgo;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof ClientInfo)) return false;
        ClientInfo other = (ClientInfo) o;
        return namespace.equals(other.namespace)
                && instance.equals(other.instance)
                && report.equals(other.report)
                && lastSeenMillisAgo == other.lastSeenMillisAgo;
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespace, instance, report, lastSeenMillisAgo);
    }

    @Override
    public String toString() {
        return "ClientInfo[namespace=" + namespace + ", instance=" + instance + ", report=" + report
                + ", lastSeenMillisAgo=" + lastSeenMillisAgo + "]";
    }
}
