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
import io.wharf.core.ConflictException;
import io.wharf.core.Durations;
import io.wharf.core.ForbiddenException;
import io.wharf.core.InvalidInputException;
import io.wharf.core.Violation;
import io.wharf.core.cluster.ContainerRecord;
import io.wharf.core.registry.Endpoint;
import io.wharf.core.registry.EndpointId;
import io.wharf.core.registry.ServiceKey;
import io.wharf.server.auth.Principal;
import io.wharf.server.cluster.Cluster;
import io.wharf.server.registry.LeaseRequest;
import io.wharf.server.registry.RegisteredEndpoint;
import io.wharf.server.registry.Registry;
import io.wharf.store.ServiceRecord;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Namespaces, services, endpoints and leases: the registry's non-watching routes. */
final class RegistryRoutes {
    private static final String ENDPOINT = "/v1/namespaces/{ns}/services/{svc}/endpoints/{ipPort}";

    private final Registry registry;

    private final Access access;
    private final Cluster cluster;
    private static final RegisterEndpoint EMPTY_REGISTRATION =
            new RegisterEndpoint(null, null, null, null, null, null, null);

    RegistryRoutes(Registry registry, Cluster cluster, Access access) {
        this.access = access;
        this.cluster = cluster;
        this.registry = registry;
    }

    void register(RoutesConfig routes) {
        routes.get("/v1/namespaces", this::listNamespaces);
        routes.post("/v1/namespaces", this::createNamespace);
        routes.get("/v1/namespaces/{ns}", this::getNamespace);
        routes.get("/v1/namespaces/{ns}/services", this::listServices);
        routes.put(ENDPOINT, this::registerEndpoint);
        routes.get(ENDPOINT, this::getEndpoint);
        routes.delete(ENDPOINT, this::deregisterEndpoint);
        routes.put(ENDPOINT + "/heartbeat", this::heartbeat);
        routes.post("/v1/leases", this::grantLease);
        routes.put("/v1/leases/{id}/heartbeat", this::renewLease);
        routes.delete("/v1/leases/{id}", this::revokeLease);
    }

    /** The namespaces the request may read: every one, or its token's. */
    private void listNamespaces(Context ctx) {
        Principal p = access.who(ctx);
        Optional<String> only =
                switch (p) {
                    case Principal.Reader r when !r.namespace().isEmpty() -> Optional.of(r.namespace());
                    case Principal.NamespaceWriter w -> Optional.of(w.namespace());
                    case Principal.Host h -> Optional.empty();
                    default -> {
                        access.readAll(ctx);
                        yield Optional.empty();
                    }
                };
        Json.respond(
                ctx,
                Map.of(
                        "namespaces",
                        registry.namespaces().stream()
                                .filter(n -> only.map(n.name()::equals).orElse(true))
                                .map(Views::namespace)
                                .toList()));
    }

    private void createNamespace(Context ctx) {
        access.admin(ctx);
        var req = Json.read(ctx.bodyAsBytes(), CreateNamespace.class, new CreateNamespace(null));
        String name = req.name()
                .orElseThrow(() -> InvalidInputException.of("name", "missing (expected: the namespace's name)"));
        Json.respond(ctx.status(201), Views.namespace(registry.createNamespace(name)));
    }

    private void getNamespace(Context ctx) {
        String ns = Params.namespace(ctx);
        access.readRegistry(ctx, ns);
        var found = registry.namespaces().stream()
                .filter(n -> n.name().equals(ns))
                .findFirst()
                .orElseThrow(() -> new io.wharf.core.NotFoundException("namespace", ns));
        Json.respond(ctx, Views.namespace(found));
    }

    private void listServices(Context ctx) {
        String ns = Params.namespace(ctx);
        access.readRegistry(ctx, ns);
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
        EndpointId id = Params.endpoint(ctx);
        RegisteredEndpoint registered = register(access.who(ctx), key, id, ctx.bodyAsBytes());
        ctx.header("X-Wharf-Revision", Long.toString(registered.revision()));
        Json.respond(ctx, Views.endpoint(registered));
    }

    /**
     * Registers endpoint {@code id} of {@code key} as {@code body} asks, for {@code p}: the route's work, which
     * {@link HotRoutes} also does without Javalin.
     */
    RegisteredEndpoint register(Principal p, ServiceKey key, EndpointId id, byte[] body) {
        access.writeEndpoint(p, key, id);
        var req = Json.read(body, RegisterEndpoint.class, EMPTY_REGISTRATION);
        List<Violation> wrong = new ArrayList<>();
        LeaseRequest lease = leaseRequest(req, wrong);
        Map<String, String> metadata = req.metadata().orElse(Map.of());
        Endpoint endpoint = null;
        try {
            endpoint = new Endpoint(
                    id,
                    req.state().orElse(EndpointState.UP),
                    req.weight().orElse(1),
                    req.version().orElse(""),
                    metadata,
                    req.registeredBy().orElse(RegisteredBy.API));
        } catch (InvalidInputException e) {
            wrong.addAll(e.violations());
        }
        if (!wrong.isEmpty() || endpoint == null || lease == null) {
            throw new InvalidInputException(wrong);
        }
        ownership(p, key, id, lease);
        return registry.register(key, endpoint, lease);
    }

    /**
     * A container's address is its agent's to register: a host on its own lease; nobody else, for any service,
     * so that a hand-made endpoint cannot take a container's traffic or be mistaken for it.
     */
    private void ownership(Principal p, ServiceKey key, EndpointId id, LeaseRequest lease) {
        Optional<ContainerRecord> owner = cluster.containers().byEndpoint(id);
        if (p instanceof Principal.Host h) {
            String hostLease =
                    cluster.hosts().get(h.hostId()).flatMap(s -> s.leaseId()).orElse("");
            if (!(lease instanceof LeaseRequest.Shared shared)
                    || !shared.leaseId().equals(hostLease)) {
                throw new ForbiddenException(p.describe() + " registers endpoints on its host's lease only ("
                        + (hostLease.isEmpty() ? "it has none yet" : hostLease) + ")");
            }
            if (owner.isPresent() && !owner.get().service().equals(key)) {
                throw new ConflictException(id + " is the address of container "
                        + owner.get().id() + ", not of a" + " container of " + key);
            }
            return;
        }
        if (lease instanceof LeaseRequest.Shared shared) ownLease(p, shared.leaseId());
        if (owner.isPresent()) {
            throw new ConflictException(
                    id + " is the address of container " + owner.get().id() + " on host "
                            + owner.get().hostId() + "; its agent registers it (pause and resume it with"
                            + " PUT /v1/containers/" + owner.get().id() + "/registration)");
        }
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
        access.readRegistry(ctx, Params.namespace(ctx));
        Json.respond(ctx, Views.endpoint(registry.registered(Params.service(ctx), Params.endpoint(ctx))));
    }

    private void deregisterEndpoint(Context ctx) {
        access.writeEndpoint(ctx, Params.service(ctx), Params.endpoint(ctx));
        long revision = registry.deregister(Params.service(ctx), Params.endpoint(ctx));
        ctx.header("X-Wharf-Revision", Long.toString(revision));
        Json.respond(ctx, new Revision(revision));
    }

    private void heartbeat(Context ctx) {
        access.writeEndpoint(ctx, Params.service(ctx), Params.endpoint(ctx));
        var ttl = registry.heartbeat(Params.service(ctx), Params.endpoint(ctx));
        Json.respond(ctx, new Ttl(Durations.format(ttl)));
    }

    private void grantLease(Context ctx) {
        String owner = access.leaseOwner(ctx);
        var req = Json.read(ctx.bodyAsBytes(), GrantLease.class, new GrantLease(null));
        var ttl = req.ttl().isEmpty()
                ? registry.config().defaultTtl()
                : Durations.parse("ttl", req.ttl().get());
        Json.respond(ctx.status(201), Views.lease(registry.grantLease(ttl, owner)));
    }

    private void renewLease(Context ctx) {
        ownLease(ctx, ctx.pathParam("id"));
        Json.respond(ctx, Views.lease(registry.renewLease(ctx.pathParam("id"))));
    }

    private void revokeLease(Context ctx) {
        ownLease(ctx, ctx.pathParam("id"));
        registry.revokeLease(ctx.pathParam("id"));
        ctx.status(204);
    }

    /** A shared lease may be used by whoever was granted it, and the admin; a host's by its agent only. */
    private void ownLease(Context ctx, String leaseId) {
        ownLease(access.who(ctx), leaseId);
    }

    private void ownLease(Principal p, String leaseId) {
        access.leaseOwner(p); // may use shared leases at all, before telling whether this one exists
        access.lease(p, leaseId, registry.lease(leaseId).owner());
    }
}
