package io.wharf.server.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.wharf.client.wire.CreateNamespace;
import io.wharf.client.wire.EndpointState;
import io.wharf.client.wire.GrantLease;
import io.wharf.client.wire.RegisterEndpoint;
import io.wharf.client.wire.RegisteredBy;
import io.wharf.client.wire.Revision;
import io.wharf.client.wire.ServiceInfo;
import io.wharf.client.wire.Ttl;
import io.wharf.core.Durations;
import io.wharf.core.InvalidInputException;
import io.wharf.core.Violation;
import io.wharf.core.registry.Endpoint;
import io.wharf.core.registry.ServiceKey;
import io.wharf.server.registry.LeaseRequest;
import io.wharf.server.registry.RegisteredEndpoint;
import io.wharf.server.registry.Registry;
import io.wharf.store.ServiceRecord;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Namespaces, services, endpoints and leases: the registry's non-watching routes. */
final class RegistryRoutes {
    private static final String ENDPOINT = "/v1/namespaces/{ns}/services/{svc}/endpoints/{ipPort}";

    private final Registry registry;

    private final AdminAuth auth;
    private static final RegisterEndpoint EMPTY_REGISTRATION =
            new RegisterEndpoint(null, null, null, null, null, null, null);

    RegistryRoutes(Registry registry, AdminAuth auth) {
        this.auth = auth;
        this.registry = registry;
    }

    void register(RoutesConfig routes) {
        routes.get("/v1/namespaces", this::listNamespaces);
        routes.post("/v1/namespaces", auth.guard(this::createNamespace));
        routes.get("/v1/namespaces/{ns}", this::getNamespace);
        routes.get("/v1/namespaces/{ns}/services", this::listServices);
        routes.put(ENDPOINT, auth.guardAgent(this::registerEndpoint));
        routes.get(ENDPOINT, this::getEndpoint);
        routes.delete(ENDPOINT, auth.guardAgent(this::deregisterEndpoint));
        routes.put(ENDPOINT + "/heartbeat", auth.guardAgent(this::heartbeat));
        routes.post("/v1/leases", auth.guard(this::grantLease));
        routes.put("/v1/leases/{id}/heartbeat", auth.guard(this::renewLease));
        routes.delete("/v1/leases/{id}", auth.guard(this::revokeLease));
    }

    private void listNamespaces(Context ctx) {
        Json.respond(
                ctx,
                Map.of(
                        "namespaces",
                        registry.namespaces().stream().map(Views::namespace).toList()));
    }

    private void createNamespace(Context ctx) {
        var req = Json.read(ctx.bodyAsBytes(), CreateNamespace.class, new CreateNamespace(null));
        String name = req.name()
                .orElseThrow(() -> InvalidInputException.of("name", "missing (expected: the namespace's name)"));
        Json.respond(ctx.status(201), Views.namespace(registry.createNamespace(name)));
    }

    private void getNamespace(Context ctx) {
        String ns = Params.namespace(ctx);
        var found = registry.namespaces().stream()
                .filter(n -> n.name().equals(ns))
                .findFirst()
                .orElseThrow(() -> new io.wharf.core.NotFoundException("namespace", ns));
        Json.respond(ctx, Views.namespace(found));
    }

    private void listServices(Context ctx) {
        String ns = Params.namespace(ctx);
        List<ServiceInfo> services = new ArrayList<>();
        for (ServiceRecord s : registry.services(ns)) {
            Map<EndpointState, Long> counts = new EnumMap<>(EndpointState.class);
            for (EndpointState state : EndpointState.values()) counts.put(state, 0L);
            for (RegisteredEndpoint e : registry.endpoints(s.key()))
                counts.merge(e.endpoint().state(), 1L, Long::sum);
            services.add(new ServiceInfo(
                    ns,
                    s.key().service(),
                    s.createdAt(),
                    registry.snapshot(s.key()).revision(),
                    counts));
        }
        Json.respond(ctx, Map.of("namespace", ns, "services", services));
    }

    private void registerEndpoint(Context ctx) {
        ServiceKey key = Params.service(ctx);
        var id = Params.endpoint(ctx);
        var req = Json.read(ctx.bodyAsBytes(), RegisterEndpoint.class, EMPTY_REGISTRATION);
        List<Violation> wrong = new ArrayList<>();
        LeaseRequest lease = leaseRequest(req, wrong);
        Map<String, String> metadata = req.metadata().orElse(Map.of());
        metadata.forEach((k, v) -> {
            if (v == null) wrong.add(new Violation("metadata." + k, "null (expected: a string)"));
        });
        Endpoint endpoint = null;
        try {
            endpoint = new Endpoint(
                    id,
                    req.state().orElse(EndpointState.UP),
                    req.weight().orElse(1),
                    req.version().orElse(""),
                    wrong.isEmpty() ? metadata : Map.of(),
                    req.registeredBy().orElse(RegisteredBy.API));
        } catch (InvalidInputException e) {
            wrong.addAll(e.violations());
        }
        if (!wrong.isEmpty() || endpoint == null || lease == null) {
            throw new InvalidInputException(wrong);
        }
        RegisteredEndpoint registered = registry.register(key, endpoint, lease);
        ctx.header("X-Wharf-Revision", Long.toString(registered.revision()));
        Json.respond(ctx, Views.endpoint(registered));
    }

    private @Nullable LeaseRequest leaseRequest(RegisterEndpoint req, List<Violation> wrong) {
        if (req.lease().isPresent() && req.ttl().isPresent()) {
            wrong.add(
                    new Violation("lease", "given with ttl (expected: either ttl, for a lease of its own, or lease)"));
            return null;
        }
        if (req.lease().isPresent()) {
            return new LeaseRequest.Shared(req.lease().get());
        }
        try {
            return new LeaseRequest.Own(
                    req.ttl().isEmpty()
                            ? registry.config().defaultTtl()
                            : Durations.parse("ttl", req.ttl().get()));
        } catch (InvalidInputException e) {
            wrong.addAll(e.violations());
            return null;
        }
    }

    private void getEndpoint(Context ctx) {
        Json.respond(ctx, Views.endpoint(registry.registered(Params.service(ctx), Params.endpoint(ctx))));
    }

    private void deregisterEndpoint(Context ctx) {
        long revision = registry.deregister(Params.service(ctx), Params.endpoint(ctx));
        ctx.header("X-Wharf-Revision", Long.toString(revision));
        Json.respond(ctx, new Revision(revision));
    }

    private void heartbeat(Context ctx) {
        var ttl = registry.heartbeat(Params.service(ctx), Params.endpoint(ctx));
        Json.respond(ctx, new Ttl(Durations.format(ttl)));
    }

    private void grantLease(Context ctx) {
        var req = Json.read(ctx.bodyAsBytes(), GrantLease.class, new GrantLease(null));
        var ttl = req.ttl().isEmpty()
                ? registry.config().defaultTtl()
                : Durations.parse("ttl", req.ttl().get());
        Json.respond(ctx.status(201), Views.lease(registry.grantLease(ttl)));
    }

    private void renewLease(Context ctx) {
        Json.respond(ctx, Views.lease(registry.renewLease(ctx.pathParam("id"))));
    }

    private void revokeLease(Context ctx) {
        registry.revokeLease(ctx.pathParam("id"));
        ctx.status(204);
    }
}
