package io.wharf.server.release;

import io.wharf.client.wire.ReleaseRequest;
import io.wharf.client.wire.ReleaseStep;
import io.wharf.core.registry.ServiceKey;
import io.wharf.server.operation.Harness;
import io.wharf.server.operation.Operation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A service {@code web} of three endpoints on v1 on hosts a and b, each host with a load balancer, and an SDK
 * watcher: what the release scenarios start from.
 */
final class ReleaseFixture {
    static final Duration TICK = Duration.ofMillis(100);

    final ReleaseKind kind = new ReleaseKind();
    final Harness h = new Harness(kind);
    final ServiceKey web;
    final List<String> containers;
    final List<String> endpoints;

    ReleaseFixture() {
        h.cluster.host("a").host("b").image("demo", "v1", "v2");
        web = h.cluster.service("web", "v1", 3, Map.of());
        containers = List.of(
                h.cluster.container(web, 0, "a", "v1"),
                h.cluster.container(web, 1, "b", "v1"),
                h.cluster.container(web, 2, "a", "v1"));
        endpoints = containers.stream()
                .map(id -> h.cluster.row(id).orElseThrow().endpoint().toString())
                .toList();
        h.cluster
                .loadBalancer(web, "a")
                .loadBalancer(web, "b")
                .watcher(web, "sdk-1")
                .onlooker(web, "curl");
    }

    /** Starts release {@code id} of web with {@code request}'s options (service and namespace are web's). */
    String start(String id, ReleaseRequest request) {
        ReleaseRequest r = new ReleaseRequest(
                "default",
                "web",
                request.version().orElse("v2"),
                request.parallelism().orElse(null),
                request.drainTimeout().orElse(null),
                request.healthChecks().orElse(null),
                request.mode().orElse(null),
                request.rollback().orElse(null),
                request.watch().orElse(null),
                request.maxErrorRate().orElse(null),
                request.maxLatencyRatio().orElse(null),
                request.minRequests().orElse(null),
                request.allowUnwatched().orElse(null));
        ReleaseState state = ReleasePlan.create(r, h.cluster.view(Set.of(web)), id);
        h.engine.submit(kind, id, state);
        return id;
    }

    static ReleaseRequest options() {
        return new ReleaseRequest(null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    Operation<ReleaseState> op(String id) {
        return h.op(kind, id);
    }

    EndpointRelease endpoint(String id, int i) {
        return op(id).state().endpoints().get(i);
    }

    ReleaseStep step(String id, int i) {
        return endpoint(id, i).step();
    }
}
