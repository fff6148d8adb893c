package io.wharf.server.api;

import io.wharf.client.wire.EndpointState;
import io.wharf.client.wire.RegisteredBy;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The JSON bodies the API accepts. Absent fields are null and take their documented defaults. */
final class Requests {
    private Requests() {}

    record CreateNamespace(@Nullable String name) {}

    record RegisterEndpoint(
            @Nullable String version,
            @Nullable Integer weight,
            @Nullable String ttl,
            @Nullable String lease,
            @Nullable Map<String, String> metadata,
            @Nullable EndpointState state,
            @Nullable RegisteredBy registeredBy) {
        static final RegisterEndpoint EMPTY = new RegisterEndpoint(null, null, null, null, null, null, null);
    }

    record GrantLease(@Nullable String ttl) {
        static final GrantLease EMPTY = new GrantLease(null);
    }

    record Acknowledge(@Nullable Long revision) {
        static final Acknowledge EMPTY = new Acknowledge(null);
    }
}
