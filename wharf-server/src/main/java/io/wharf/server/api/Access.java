package io.wharf.server.api;

import io.javalin.http.Context;
import io.wharf.core.ForbiddenException;
import io.wharf.core.UnauthorizedException;
import io.wharf.core.placement.IpPool;
import io.wharf.core.registry.EndpointId;
import io.wharf.core.registry.ServiceKey;
import io.wharf.server.auth.Principal;
import io.wharf.server.auth.Tokens;
import io.wharf.server.cluster.Hosts;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Who may do what, route by route (docs/security.md). A request shows its token as {@code Authorization:
 * Bearer TOKEN}; without one it may only see the server's health and metrics. A refused token is a 401, a
 * token that may not do what it asks a 403 saying what it may do.
 */
final class Access {
    private static final String PRINCIPAL = "wharf.principal";

    private final Tokens tokens;
    private final Hosts hosts;

    Access(Tokens tokens, Hosts hosts) {
        this.tokens = tokens;
        this.hosts = hosts;
    }

    /** Who the request is; authenticated once per request. */
    Principal who(Context ctx) {
        Principal p = ctx.attribute(PRINCIPAL);
        if (p == null) {
            p = tokens.authenticate(bearer(ctx));
            ctx.attribute(PRINCIPAL, p);
        }
        return p;
    }

    /** Who a request showing this {@code Authorization} header (or none) is. */
    Principal who(@Nullable String authorization) {
        return tokens.authenticate(bearer(authorization));
    }

    private static Optional<String> bearer(Context ctx) {
        return bearer(ctx.header("Authorization"));
    }

    private static Optional<String> bearer(@Nullable String header) {
        if (header == null) return Optional.empty();
        if (!header.startsWith("Bearer ")) {
            throw new UnauthorizedException("the Authorization header is not 'Bearer TOKEN'");
        }
        return Optional.of(header.substring("Bearer ".length()).trim());
    }

    /** Only the admin token. */
    void admin(Context ctx) {
        Principal p = who(ctx);
        if (!(p instanceof Principal.Admin)) throw refused(p, "needs the admin token");
    }

    /** Reading something of namespace {@code namespace}: a spec, a container, an operation, an endpoint. */
    void read(Context ctx, String namespace) {
        read(who(ctx), namespace);
    }

    void read(Principal p, String namespace) {
        if (!mayRead(p, namespace)) throw refused(p, "may not read namespace " + namespace);
    }

    /** Whether the request may read namespace {@code namespace}; for filtering lists. */
    boolean mayRead(Context ctx, String namespace) {
        return mayRead(who(ctx), namespace);
    }

    /** Whether {@code p} may read namespace {@code namespace}. */
    static boolean mayRead(Principal p, String namespace) {
        return switch (p) {
            case Principal.Admin a -> true;
            case Principal.Reader r -> r.namespace().isEmpty() || r.namespace().equals(namespace);
            case Principal.NamespaceWriter w -> w.namespace().equals(namespace);
            default -> false;
        };
    }

    /** Whether {@code p} may read what spans namespaces: hosts, every container, every operation. */
    static boolean readsAll(Principal p) {
        return p instanceof Principal.Admin
                || (p instanceof Principal.Reader r && r.namespace().isEmpty());
    }

    /** Makes the request {@code p}'s, who was authenticated otherwise than by its header (the console's cookie). */
    void actAs(Context ctx, Principal p) {
        ctx.attribute(PRINCIPAL, p);
    }

    /** Reading lists that are filtered to what the request may read: any token that reads some namespace. */
    void readSome(Context ctx) {
        Principal p = who(ctx);
        boolean ok =
                p instanceof Principal.Admin || p instanceof Principal.Reader || p instanceof Principal.NamespaceWriter;
        if (!ok) throw refused(p, "may not read services (a read or namespace token may)");
    }

    /** Reading what spans namespaces: hosts, every container, images, every operation. */
    void readAll(Context ctx) {
        Principal p = who(ctx);
        if (!readsAll(p)) throw refused(p, "may not read what spans namespaces (a read token of every namespace may)");
    }

    /**
     * Reading a namespace's registry: its services, endpoints and watches. Hosts may too: their load balancers
     * follow every published service.
     */
    void readRegistry(Context ctx, String namespace) {
        readRegistry(who(ctx), namespace);
    }

    void readRegistry(Principal p, String namespace) {
        if (p instanceof Principal.Host) return;
        read(p, namespace);
    }

    /**
     * Registering or deregistering an endpoint of {@code key}: the admin; a namespace token of its namespace; a
     * host token for an endpoint on an address of its own pool.
     */
    void writeEndpoint(Context ctx, ServiceKey key, EndpointId endpoint) {
        writeEndpoint(who(ctx), key, endpoint);
    }

    void writeEndpoint(Principal p, ServiceKey key, EndpointId endpoint) {
        switch (p) {
            case Principal.Admin a -> {}
            case Principal.NamespaceWriter w -> {
                if (!w.namespace().equals(key.namespace())) {
                    throw refused(p, "may not change namespace " + key.namespace());
                }
            }
            case Principal.Host h -> {
                String pool = hosts.get(h.hostId())
                        .map(s -> s.record().ipPool())
                        .orElseThrow(() -> refused(p, "belongs to a host this server does not know"));
                if (!IpPool.parse(pool).contains(endpoint.ip())) {
                    throw refused(p, "may only register addresses of its own pool " + pool + ", not " + endpoint);
                }
            }
            case Principal.Reader r -> throw refused(p, "may only read");
            case Principal.Joiner j -> throw refused(p, "may only join a new host");
            case Principal.Anonymous n -> throw refused(p, "needs a token");
        }
    }

    /**
     * Granting a shared lease: the admin and namespace tokens.
     *
     * @return the lease's owner, who alone (with the admin) may renew, revoke and register on it
     */
    String leaseOwner(Context ctx) {
        return leaseOwner(who(ctx));
    }

    String leaseOwner(Principal p) {
        return switch (p) {
            case Principal.Admin a -> "admin";
            case Principal.NamespaceWriter w -> "namespace:" + w.namespace();
            default -> throw refused(p, "may not use shared leases (the admin and namespace tokens may)");
        };
    }

    /** Using a shared lease owned by {@code owner}: the admin, or whoever was granted it. */
    void lease(Principal p, String leaseId, String owner) {
        if (p instanceof Principal.Admin) return;
        if (!leaseOwner(p).equals(owner)) throw refused(p, "may not use lease " + leaseId + ", granted to another");
    }

    /** Acting as host {@code hostId}: its heartbeats and assignments. */
    void host(Context ctx, String hostId) {
        Principal p = who(ctx);
        boolean ok = p instanceof Principal.Admin
                || (p instanceof Principal.Host h && h.hostId().equals(hostId));
        if (!ok) throw refused(p, "may not act as host " + hostId);
    }

    /** Acknowledging for watcher {@code watcher} of {@code key}: hosts only as their load balancer. */
    void acknowledge(Context ctx, ServiceKey key, String watcher) {
        Principal p = who(ctx);
        if (p instanceof Principal.Host h) {
            if (!watcher.equals("lb@" + h.hostId())) {
                throw refused(p, "may only acknowledge as its load balancer, lb@" + h.hostId());
            }
            return;
        }
        read(ctx, key.namespace());
    }

    /**
     * Changing what a namespace holds of its own callers — an SDK instance's report: the admin, a namespace token
     * of that namespace.
     */
    void writeNamespace(Context ctx, String namespace) {
        Principal p = who(ctx);
        boolean ok = p instanceof Principal.Admin
                || (p instanceof Principal.NamespaceWriter w && w.namespace().equals(namespace));
        if (!ok) throw refused(p, "may not report SDK instances of namespace " + namespace);
    }

    /** Downloading an image's package: whoever reads everything, and hosts, whose agents run them. */
    void downloadPackage(Context ctx) {
        if (who(ctx) instanceof Principal.Host) return;
        readAll(ctx);
    }

    private static RuntimeException refused(Principal p, String what) {
        if (p instanceof Principal.Anonymous) {
            return new UnauthorizedException("this request needs a token (Authorization: Bearer TOKEN)");
        }
        return new ForbiddenException(p.describe() + " " + what);
    }
}
