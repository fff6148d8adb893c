package io.wharf.client.wire;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one host's load balancer reports of one service.
 */
public final class HostLoad {
    private final String host;
    private final String address;
    private final long revision;
    private final Map<String, Integer> inFlight;
    private final Map<String, Served> served;

    public HostLoad(
            @Nullable String host,
            @Nullable String address,
            long revision,
            @Nullable Map<String, Integer> inFlight,
            @Nullable Map<String, Served> served) {
        this.host = host == null ? "" : host;
        this.address = address == null ? "" : address;
        this.revision = revision;
        this.inFlight = inFlight == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(inFlight));
        this.served = served == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(served));
    }

    /** The host. */
    public String host() {
        return host;
    }

    /** Where its load balancer listens. */
    public String address() {
        return address;
    }

    /** The registry revision it has applied. */
    public long revision() {
        return revision;
    }

    /** In flight per endpoint. */
    public Map<String, Integer> inFlight() {
        return inFlight;
    }

    /** Served per endpoint. */
    public Map<String, Served> served() {
        return served;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof HostLoad)) return false;
        HostLoad other = (HostLoad) o;
        return Objects.equals(host, other.host)
                && Objects.equals(address, other.address)
                && revision == other.revision
                && Objects.equals(inFlight, other.inFlight)
                && Objects.equals(served, other.served);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, address, revision, inFlight, served);
    }

    @Override
    public String toString() {
        return "HostLoad[" + "host=" + host + ", address=" + address + ", revision=" + revision + ", inFlight="
                + inFlight + ", served=" + served + "]";
    }
}
