package io.wharf.client;

import static io.wharf.client.Transport.enc;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.client.wire.Acknowledge;
import io.wharf.client.wire.ClientDesired;
import io.wharf.client.wire.ClientInfo;
import io.wharf.client.wire.ClientReport;
import io.wharf.client.wire.CreateNamespace;
import io.wharf.client.wire.EndpointInfo;
import io.wharf.client.wire.GrantLease;
import io.wharf.client.wire.LeaseInfo;
import io.wharf.client.wire.NamespaceInfo;
import io.wharf.client.wire.RegisterEndpoint;
import io.wharf.client.wire.Revision;
import io.wharf.client.wire.ServiceEndpoints;
import io.wharf.client.wire.ServiceInfo;
import io.wharf.client.wire.Ttl;
import io.wharf.client.wire.WatchersInfo;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** The registry: namespaces, services, endpoints, leases, reads and watches (claims 001.1, 003.1). */
public final class RegistryApi {
    private final Transport t;

    RegistryApi(Transport t) {
        this.t = t;
    }

    /** Every namespace. */
    public List<NamespaceInfo> namespaces() {
        return t.list("/v1/namespaces", "namespaces", NamespaceInfo.class);
    }

    /** Creates a namespace; a conflict if it exists. */
    public NamespaceInfo createNamespace(String name) {
        return t.call("POST", "/v1/namespaces", new CreateNamespace(name), NamespaceInfo.class);
    }

    /** The services of a namespace. */
    public List<ServiceInfo> services(String namespace) {
        return t.list("/v1/namespaces/" + enc(namespace) + "/services", "services", ServiceInfo.class);
    }

    /** A service's endpoints now. */
    public ServiceEndpoints endpoints(String namespace, String service) {
        return t.call("GET", endpointsPath(namespace, service), null, ServiceEndpoints.class);
    }

    /**
     * A long-poll: the service's endpoints once its revision is above {@code index}, or when {@code wait} runs
     * out; with a watcher id, the poll acknowledges {@code index} for it.
     */
    public ServiceEndpoints endpointsAfter(
            String namespace, String service, long index, Duration wait, @Nullable String watcher) {
        String path = endpointsPath(namespace, service) + "?index=" + index + "&wait=" + wait.toMillis() + "ms"
                + (watcher == null ? "" : "&watcher=" + enc(watcher));
        return t.call(
                "GET",
                path,
                null,
                Transport.JSON.constructType(ServiceEndpoints.class),
                wait.plus(Duration.ofSeconds(10)));
    }

    /** One endpoint as registered now. */
    public EndpointInfo endpoint(String namespace, String service, String id) {
        return t.call("GET", endpointPath(namespace, service, id), null, EndpointInfo.class);
    }

    /** Registers (or registers again) an endpoint. */
    public EndpointInfo register(String namespace, String service, String id, RegisterEndpoint request) {
        return t.call("PUT", endpointPath(namespace, service, id), request, EndpointInfo.class);
    }

    /** Renews the lease of an endpoint that has one of its own. */
    public Ttl heartbeat(String namespace, String service, String id) {
        return t.call("PUT", endpointPath(namespace, service, id) + "/heartbeat", null, Ttl.class);
    }

    /** Takes an endpoint out; returns the revision of its removal. */
    public Revision deregister(String namespace, String service, String id) {
        return t.call("DELETE", endpointPath(namespace, service, id), null, Revision.class);
    }

    /**
     * Opens the service's watch as server-sent events: a snapshot, or the changes after {@code since} (negative
     * for none) if the server still has them, then every change.
     *
     * @param watcher the watcher id to watch as; empty for one the server chooses
     * @param acknowledging whether the watcher acknowledges each revision it applies, so that drains wait for
     *     it (it must then do so, or every drain waits out its timeout)
     */
    public EventStream watch(
            String namespace, String service, Optional<String> watcher, long since, boolean acknowledging) {
        HttpResponse<InputStream> r = t.open(
                watchRequest(namespace, service, watcher, since, acknowledging), "watch " + namespace + "/" + service);
        return new EventStream(
                r.body(), r.headers().firstValue("X-Wharf-Watcher").orElse(watcher.orElse("")));
    }

    /**
     * Follows the service's watch as {@link #watch} opens it, without a thread of its own: each event goes to
     * {@code listener} on the HTTP client's threads (see {@link EventSubscription}).
     */
    public EventSubscription follow(
            String namespace,
            String service,
            Optional<String> watcher,
            long since,
            boolean acknowledging,
            EventSubscription.Listener listener) {
        return t.follow(
                watchRequest(namespace, service, watcher, since, acknowledging),
                "watch " + namespace + "/" + service,
                listener);
    }

    private HttpRequest watchRequest(
            String namespace, String service, Optional<String> watcher, long since, boolean acknowledging) {
        StringBuilder path = new StringBuilder(endpointsPath(namespace, service));
        char sep = '?';
        if (watcher.isPresent()) {
            path.append(sep).append("watcher=").append(enc(watcher.get()));
            sep = '&';
            if (acknowledging) path.append("&acknowledge=true");
        }
        if (since >= 0) {
            path.append(sep).append("since=").append(since);
        }
        return t.request(path.toString(), Duration.ofDays(3650))
                .header("Accept", "text/event-stream")
                .GET()
                .build();
    }

    /** A service's watchers, and those that have not acknowledged {@code revision} (the service's, if empty). */
    public WatchersInfo watchers(String namespace, String service, Optional<Long> revision) {
        String path = "/v1/namespaces/" + enc(namespace) + "/services/" + enc(service) + "/watchers"
                + revision.map(r -> "?revision=" + r).orElse("");
        return t.call("GET", path, null, WatchersInfo.class);
    }

    /** Acknowledges that {@code watcher} has applied every change of the service up to {@code revision}. */
    public CompletableFuture<Void> acknowledge(String namespace, String service, String watcher, long revision) {
        return t.sendAsync("PUT", ackPath(namespace, service, watcher), new Acknowledge(revision));
    }

    /** Tells the server what this SDK instance uses ({@code PUT /v1/namespaces/NS/clients/INSTANCE}). */
    public Optional<ClientDesired> reportClient(String namespace, String instance, ClientReport report) {
        byte[] answer = t.raw("PUT", clientPath(namespace, instance), report, t.timeout());
        if (answer.length == 0) return Optional.empty();
        return Optional.of(Transport.decode(
                "PUT " + clientPath(namespace, instance), answer, Transport.JSON.constructType(ClientDesired.class)));
    }

    /**
     * Downloads the interface package with {@code sha256} that a migration in {@code namespace} asks its SDK
     * instances to install, verifying its digest on the way.
     *
     * @throws ClientException if the bytes have another sha256 — the package is then refused
     */
    public void downloadInterfacePackage(String namespace, String sha256, Path target) {
        t.download(
                "/v1/namespaces/" + enc(namespace) + "/interface-packages/" + enc(sha256),
                sha256,
                target,
                "download interface package " + sha256.substring(0, Math.min(12, sha256.length())));
    }

    /** Tells the server this SDK instance is gone. */
    public void forgetClient(String namespace, String instance) {
        t.call("DELETE", clientPath(namespace, instance), null, JsonNode.class);
    }

    /** The SDK instances of a namespace that reported lately. */
    public List<ClientInfo> clients(String namespace) {
        return t.list("/v1/namespaces/" + enc(namespace) + "/clients", "clients", ClientInfo.class);
    }

    private static String clientPath(String namespace, String instance) {
        return "/v1/namespaces/" + enc(namespace) + "/clients/" + enc(instance);
    }

    /** Grants a lease that several endpoints can share. */
    public LeaseInfo grantLease(Duration ttl) {
        return t.call("POST", "/v1/leases", new GrantLease(ttl.toMillis() + "ms"), LeaseInfo.class);
    }

    /** Renews a shared lease and so every endpoint on it. */
    public LeaseInfo renewLease(String id) {
        return t.call("PUT", "/v1/leases/" + enc(id) + "/heartbeat", null, LeaseInfo.class);
    }

    /** Ends a shared lease now; its endpoints leave the registry. */
    public void revokeLease(String id) {
        t.call("DELETE", "/v1/leases/" + enc(id), null, JsonNode.class);
    }

    private static String endpointsPath(String namespace, String service) {
        return "/v1/namespaces/" + enc(namespace) + "/services/" + enc(service) + "/endpoints";
    }

    static String endpointPath(String namespace, String service, String id) {
        return endpointsPath(namespace, service) + "/" + enc(id);
    }

    private static String ackPath(String namespace, String service, String watcher) {
        return "/v1/namespaces/" + enc(namespace) + "/services/" + enc(service) + "/watchers/" + enc(watcher) + "/ack";
    }
}
