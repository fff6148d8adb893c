package io.wharf.lb;

import io.wharf.client.sdk.Rule;
import io.wharf.core.registry.EndpointId;
import io.wharf.core.registry.ServiceKey;
import java.time.Duration;
import java.util.Map;

/**
 * What a data plane knows of a routed service: how it balances it, the registry revision it has applied, what
 * is in flight, and what each endpoint has served.
 */
public record ServiceLoad(
        ServiceKey service,
        Rule rule,
        Duration slowStart,
        long revision,
        Map<EndpointId, Integer> inFlight,
        Map<EndpointId, Served> served) {}
