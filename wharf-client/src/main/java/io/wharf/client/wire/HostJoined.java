package io.wharf.client.wire;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What joining answers: the host, and its host token if this join issued one.
 */
public final class HostJoined {
    private final HostInfo host;
    private final @Nullable String hostToken;

    public HostJoined(HostInfo host, @Nullable String hostToken) {
        this.host = Objects.requireNonNull(host, "host");
        this.hostToken = hostToken;
    }

    /** The host. */
    public HostInfo host() {
        return host;
    }

    /** The host's own token, shown only here: the agent acts with it from now on. */
    public Optional<String> hostToken() {
        return Optional.ofNullable(hostToken);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof HostJoined)) return false;
        HostJoined other = (HostJoined) o;
        return Objects.equals(host, other.host) && Objects.equals(hostToken, other.hostToken);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, hostToken);
    }

    @Override
    public String toString() {
        return "HostJoined[" + "host=" + host + ", hostToken=" + hostToken + "]";
    }
}
