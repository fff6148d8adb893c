package io.wharf.core.registry;

import static java.util.Objects.requireNonNull;

import io.wharf.client.wire.EndpointState;
import io.wharf.client.wire.RegisteredBy;
import io.wharf.core.InvalidInputException;
import java.util.Map;

/**
 * One instance of a service as the registry knows it.
 *
 * @param id its {@code ip_port}
 * @param state whether it takes traffic
 * @param weight relative share of traffic, 0 to {@value #MAX_WEIGHT}; 0 takes none
 * @param version the version it runs, e.g. {@code v1}; may be empty
 * @param metadata free-form labels
 * @param registeredBy who registered it
 */
public record Endpoint(
        EndpointId id,
        EndpointState state,
        int weight,
        String version,
        Map<String, String> metadata,
        RegisteredBy registeredBy) {
    /** The largest weight accepted. */
    public static final int MAX_WEIGHT = 10_000;

    public Endpoint {
        requireNonNull(id, "id");
        requireNonNull(state, "state");
        requireNonNull(version, "version");
        requireNonNull(registeredBy, "registeredBy");
        if (weight < 0 || weight > MAX_WEIGHT) {
            throw InvalidInputException.of("weight", weight + " (expected: 0.." + MAX_WEIGHT + ")");
        }
        if (version.length() > 128) {
            throw InvalidInputException.of("version", "length " + version.length() + " (expected: at most 128)");
        }
        metadata = Map.copyOf(requireNonNull(metadata, "metadata"));
    }

    /** This endpoint in another state. */
    public Endpoint withState(EndpointState newState) {
        return new Endpoint(id, newState, weight, version, metadata, registeredBy);
    }
}
