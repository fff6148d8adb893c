package io.wharf.core.registry;

import static java.util.Objects.requireNonNull;

import io.wharf.client.wire.EndpointState;
import io.wharf.client.wire.RegisteredBy;
import io.wharf.core.InvalidInputException;
import io.wharf.core.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

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

    /** The most metadata entries an endpoint may carry. */
    public static final int MAX_METADATA = 32;
    /** The longest metadata value. */
    public static final int MAX_METADATA_VALUE = 256;

    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][-A-Za-z0-9._+]{0,127}");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][-A-Za-z0-9._/]{0,62}");

    public Endpoint {
        requireNonNull(id, "id");
        requireNonNull(state, "state");
        requireNonNull(version, "version");
        requireNonNull(registeredBy, "registeredBy");
        requireNonNull(metadata, "metadata");
        List<Violation> wrong = new ArrayList<>();
        if (weight < 0 || weight > MAX_WEIGHT) {
            wrong.add(new Violation("weight", weight + " (expected: 0.." + MAX_WEIGHT + ")"));
        }
        if (!version.isEmpty() && !VERSION.matcher(version).matches()) {
            wrong.add(new Violation(
                    "version",
                    "'" + Names.printable(version) + "' (expected: letters, digits, '.', '_', '-', '+', at most 128)"));
        }
        if (metadata.size() > MAX_METADATA) {
            wrong.add(new Violation("metadata", metadata.size() + " entries (expected: at most " + MAX_METADATA + ")"));
        }
        metadata.forEach((k, v) -> {
            if (!KEY.matcher(k).matches()) {
                wrong.add(new Violation(
                        "metadata." + Names.printable(k),
                        "not a key (expected: letters, digits, '.', '_', '-', '/', at most 63)"));
            } else if (v == null || v.length() > MAX_METADATA_VALUE || v.chars().anyMatch(Character::isISOControl)) {
                wrong.add(new Violation(
                        "metadata." + k,
                        (v == null ? "null" : "length " + v.length())
                                + " (expected: a string of at most " + MAX_METADATA_VALUE
                                + " characters, no control characters)"));
            }
        });
        if (!wrong.isEmpty()) throw new InvalidInputException(wrong);
        metadata = Map.copyOf(metadata);
        // a service's endpoints share a handful of versions: one instance of each, not one per endpoint
        version = version.intern();
    }

    /** This endpoint in another state. */
    public Endpoint withState(EndpointState newState) {
        return new Endpoint(id, newState, weight, version, metadata, registeredBy);
    }

    /** This endpoint holding {@code same}, an id equal to its own: one id object where a registry keeps both. */
    public Endpoint withId(EndpointId same) {
        if (!same.equals(id)) throw new IllegalArgumentException(same + " is not " + id);
        return same == id ? this : new Endpoint(same, state, weight, version, metadata, registeredBy);
    }
}
