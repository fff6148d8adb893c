package io.wharf.client.wire;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The host's load balancer (claim 004.5).
 */
public final class LoadBalancerReport {
    private final String address;
    private final Map<String, String> ports;
    private final Map<String, String> problems;
    private final List<ServiceLoad> services;
    private final Map<String, Traffic> traffic;

    public LoadBalancerReport(
            @Nullable String address,
            @Nullable Map<String, String> ports,
            @Nullable Map<String, String> problems,
            @Nullable List<ServiceLoad> services,
            @Nullable Map<String, Traffic> traffic) {
        this.address = address == null ? "" : address;
        this.ports = ports == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(ports));
        this.problems = problems == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(problems));
        this.services = services == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(services));
        this.traffic = traffic == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(traffic));
    }

    /** Where it listens. */
    public String address() {
        return address;
    }

    /** The external ports it serves, with their protocol. */
    public Map<String, String> ports() {
        return ports;
    }

    /** External ports it could not serve, with the reason. */
    public Map<String, String> problems() {
        return problems;
    }

    /** What it serves. */
    public List<ServiceLoad> services() {
        return services;
    }

    /** The bytes it has exchanged with each container, by the container's IP. */
    public Map<String, Traffic> traffic() {
        return traffic;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof LoadBalancerReport)) return false;
        LoadBalancerReport other = (LoadBalancerReport) o;
        return Objects.equals(address, other.address)
                && Objects.equals(ports, other.ports)
                && Objects.equals(problems, other.problems)
                && Objects.equals(services, other.services)
                && Objects.equals(traffic, other.traffic);
    }

    @Override
    public int hashCode() {
        return Objects.hash(address, ports, problems, services, traffic);
    }

    @Override
    public String toString() {
        return "LoadBalancerReport[" + "address=" + address + ", ports=" + ports + ", problems=" + problems
                + ", services=" + services + ", traffic=" + traffic + "]";
    }
}
