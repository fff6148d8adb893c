package io.wharf.lb;

import static java.util.Objects.requireNonNull;

import io.wharf.client.sdk.Rule;
import io.wharf.client.wire.Protocol;
import io.wharf.core.registry.ServiceKey;
import java.time.Duration;
import java.util.Optional;

/**
 * The load-balancer metadata of one published port of a service (claim 004.4): which service, by which
 * protocol, on which external port users reach it, which port of its endpoints' IPs serves it, the context
 * path routed to it (HTTP), and the balancing rule.
 *
 * @param service the service whose endpoints serve the port
 * @param protocol HTTP (a reverse proxy, routed by context path) or TCP (a byte relay)
 * @param externalPort where users connect, on the load balancer's address
 * @param backendPort the port on each endpoint's IP
 * @param contextPath for HTTP, the path prefix routed to the service; {@code /} for all paths
 * @param rule how a backend is chosen
 * @param hashHeader for {@link Rule#CONSISTENT_HASH} over HTTP, the request header to hash; the client's
 *     address when empty
 * @param slowStart how long a newly registered endpoint takes to get its full share of requests, from a tenth
 *     of it ({@link io.wharf.lb.balance.BackendSet#slowStart}); zero for at once
 */
public record Route(
        ServiceKey service,
        Protocol protocol,
        int externalPort,
        int backendPort,
        String contextPath,
        Rule rule,
        Optional<String> hashHeader,
        Duration slowStart) {
    public Route {
        requireNonNull(service, "service");
        requireNonNull(protocol, "protocol");
        requireNonNull(rule, "rule");
        requireNonNull(hashHeader, "hashHeader");
        requireNonNull(slowStart, "slowStart");
        if (slowStart.isNegative()) {
            throw new IllegalArgumentException("slowStart: " + slowStart + " (expected: zero or more)");
        }
        if (externalPort < 1 || externalPort > 65535) {
            throw new IllegalArgumentException("externalPort: " + externalPort + " (expected: 1..65535)");
        }
        if (backendPort < 1 || backendPort > 65535) {
            throw new IllegalArgumentException("backendPort: " + backendPort + " (expected: 1..65535)");
        }
        if (!contextPath.startsWith("/")) {
            throw new IllegalArgumentException("contextPath: '" + contextPath + "' (expected: a path starting with /)");
        }
        if (contextPath.length() > 1 && contextPath.endsWith("/")) {
            contextPath = contextPath.substring(0, contextPath.length() - 1);
        }
    }

    /** A route that gives new endpoints their full share at once. */
    public Route(
            ServiceKey service,
            Protocol protocol,
            int externalPort,
            int backendPort,
            String contextPath,
            Rule rule,
            Optional<String> hashHeader) {
        this(service, protocol, externalPort, backendPort, contextPath, rule, hashHeader, Duration.ZERO);
    }

    /** A route of {@code service} on {@code externalPort} for all paths, round robin. */
    public static Route http(ServiceKey service, int externalPort, int backendPort) {
        return new Route(service, Protocol.HTTP, externalPort, backendPort, "/", Rule.ROUND_ROBIN, Optional.empty());
    }

    /** Whether a request for {@code path} (without query) falls under this route's context path. */
    public boolean matches(String path) {
        return contextPath.equals("/")
                || (path.startsWith(contextPath)
                        && (path.length() == contextPath.length() || path.charAt(contextPath.length()) == '/'));
    }

    public Route withRule(Rule newRule) {
        return new Route(service, protocol, externalPort, backendPort, contextPath, newRule, hashHeader, slowStart);
    }

    public Route withSlowStart(Duration newSlowStart) {
        return new Route(service, protocol, externalPort, backendPort, contextPath, rule, hashHeader, newSlowStart);
    }
}
