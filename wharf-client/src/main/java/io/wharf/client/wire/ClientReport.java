package io.wharf.client.wire;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one SDK instance tells the server of itself, every second: the registry interfaces it uses, the
 * instances it keeps registered, how many addresses each interface shows it of each service it follows, and
 * per interface what it registered and the calls made through it (claim 003.3's report).
 */
public final class ClientReport {
    private final List<String> interfaces;
    private final String primary;
    private final List<String> registered;
    private final Map<String, Map<String, Integer>> follows;
    private final Map<String, InterfaceState> states;
    private final String error;
    private final Map<String, ResponseTimeSummary> responseTimes;

    public ClientReport(
            @Nullable List<String> interfaces,
            @Nullable String primary,
            @Nullable List<String> registered,
            @Nullable Map<String, Map<String, Integer>> follows,
            @Nullable Map<String, InterfaceState> states,
            @Nullable String error,
            @Nullable Map<String, ResponseTimeSummary> responseTimes) {
        this.interfaces = interfaces == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(interfaces));
        this.primary = primary == null ? "" : primary;
        this.registered = registered == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(registered));
        Map<String, Map<String, Integer>> f = new LinkedHashMap<>();
        if (follows != null) {
            follows.forEach((service, counts) -> f.put(
                    service, counts == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(counts))));
        }
        this.follows = Collections.unmodifiableMap(f);
        this.states = states == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(states));
        this.error = error == null ? "" : error;
        this.responseTimes =
                responseTimes == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(responseTimes));
    }

    /** The registry interfaces it uses, by name ({@code native}, {@code zookeeper}). */
    public List<String> interfaces() {
        return interfaces;
    }

    /** The interface its views pick from. */
    public String primary() {
        return primary;
    }

    /** The instances it keeps registered, as {@code service/ip_port}. */
    public List<String> registered() {
        return registered;
    }

    /** Per service it follows, how many addresses each interface shows it. */
    public Map<String, Map<String, Integer>> follows() {
        return follows;
    }

    /** Per interface in use: what it holds registered, the calls made through it, the package it came from. */
    public Map<String, InterfaceState> states() {
        return states;
    }

    /** Why the instance could not take the interfaces its server asked for; empty when it could. */
    public String error() {
        return error;
    }

    /** The response times it measured of the requests it handles, by name, over its last few seconds. */
    public Map<String, ResponseTimeSummary> responseTimes() {
        return responseTimes;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof ClientReport)) return false;
        ClientReport other = (ClientReport) o;
        return interfaces.equals(other.interfaces)
                && primary.equals(other.primary)
                && registered.equals(other.registered)
                && follows.equals(other.follows)
                && states.equals(other.states)
                && error.equals(other.error)
                && responseTimes.equals(other.responseTimes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(interfaces, primary, registered, follows, states, error, responseTimes);
    }

    @Override
    public String toString() {
        return "ClientReport[interfaces=" + interfaces + ", primary=" + primary + ", registered=" + registered
                + ", follows=" + follows + ", states=" + states + ", error=" + error + ", responseTimes="
                + responseTimes + "]";
    }
}
