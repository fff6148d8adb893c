package io.wharf.server.api;

import io.wharf.core.WharfException;
import io.wharf.core.registry.EndpointId;
import io.wharf.core.registry.Names;
import io.wharf.core.registry.ServiceKey;
import io.wharf.server.auth.Principal;
import io.wharf.server.registry.RegisteredEndpoint;
import io.wharf.server.registry.Snapshot;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.pathmap.UriTemplatePathSpec;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's hottest routes served by Jetty's core API, in front of Javalin on the same server: an
 * endpoint's registration ({@code PUT …/endpoints/{ipPort}}), a plain read of a service's endpoints
 * ({@code GET …/endpoints} without a query or an event-stream {@code Accept}), and the watch of a service as
 * server-sent events ({@code GET …/endpoints} with {@code Accept: text/event-stream}), whose streams
 * {@link EventStreams} writes without a thread of their own. The first two do the same work as their Javalin
 * routes, through the same methods, and answer the same; Javalin's routing and request context cost a third of a
 * discovery query's throughput (docs/benchmarks.md, "HTTP servers for the registry"). Every other request, and
 * the first two in any other form (a query, a trailing slash), goes on to Javalin.
 */
final class HotRoutes extends Handler.Wrapper {
    private static final Logger log = LoggerFactory.getLogger(HotRoutes.class);
    private static final UriTemplatePathSpec ENDPOINT =
            new UriTemplatePathSpec("/v1/namespaces/{ns}/services/{svc}/endpoints/{ipPort}");
    private static final UriTemplatePathSpec ENDPOINTS =
            new UriTemplatePathSpec("/v1/namespaces/{ns}/services/{svc}/endpoints");
    private static final String JSON = "application/json";
    /** A declared body over the limit but at most this long is read before it is refused; a longer one is not. */
    private static final long DRAINED_BYTES = 1 << 20;

    private final Access access;
    private final RegistryRoutes registrations;
    private final WatchRoutes reads;
    private final EventStreams streams;

    HotRoutes(Access access, RegistryRoutes registrations, WatchRoutes reads, EventStreams streams) {
        this.access = access;
        this.registrations = registrations;
        this.reads = reads;
        this.streams = streams;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getCanonicalPath();
        if (path == null || !path.startsWith("/v1/namespaces/")) {
            return super.handle(request, response, callback);
        }
        String method = request.getMethod();
        if (method.equals("GET")) {
            String accept = request.getHeaders().get(HttpHeader.ACCEPT);
            if (accept != null && accept.contains("text/event-stream")) {
                Map<String, String> p =
                        ENDPOINTS.getPathParams(path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
                if (p != null) {
                    watch(request, response, callback, path, p);
                    return true;
                }
                return super.handle(request, response, callback);
            }
        }
        if (request.getHttpURI().getQuery() != null) {
            return super.handle(request, response, callback);
        }
        if (method.equals("GET")) {
            Map<String, String> p = ENDPOINTS.getPathParams(path);
            if (p != null) {
                answer(response, callback, path, () -> read(request, response, p));
                return true;
            }
        } else if (method.equals("PUT")) {
            Map<String, String> p = ENDPOINT.getPathParams(path);
            if (p != null) {
                answer(response, callback, path, () -> register(request, response, p));
                return true;
            }
        }
        return super.handle(request, response, callback);
    }

    private byte[] read(Request request, Response response, Map<String, String> p) throws InterruptedException {
        ServiceKey key = service(p);
        Snapshot snapshot = reads.snapshot(who(request), key);
        response.getHeaders().put("X-Wharf-Revision", Long.toString(snapshot.revision()));
        return WatchRoutes.encoded(snapshot);
    }

    /**
     * Opens an event stream of the service's changes, from a snapshot or after the revision given by {@code since}
     * or {@code Last-Event-ID}; {@code watcher} names the watcher and {@code acknowledge=true} says it
     * acknowledges.
     */
    private void watch(Request request, Response response, Callback callback, String path, Map<String, String> p) {
        try {
            ServiceKey key = service(p);
            reads.mayWatch(who(request), key);
            Fields query = Request.extractQueryParameters(request);
            long since = Params.revision("since", query.getValue("since"))
                    .or(() -> Optional.ofNullable(request.getHeaders().get("Last-Event-ID"))
                            .filter(s -> s.matches("\\d{1,18}"))
                            .map(Long::parseLong))
                    .orElse(-1L);
            Optional<String> named = Optional.ofNullable(query.getValue("watcher"));
            boolean acknowledges = Params.flag("acknowledge", query.getValue("acknowledge"));
            streams.open(request, response, callback, key, since, named, acknowledges);
        } catch (Exception e) {
            refuse(response, callback, e, path);
        }
    }

    private byte[] register(Request request, Response response, Map<String, String> p) throws Exception {
        ServiceKey key = service(p);
        EndpointId id = EndpointId.parse(p.get("ipPort"));
        Principal who = who(request);
        long length = request.getLength();
        if (length > ApiServer.MAX_BODY_BYTES) {
            if (length <= DRAINED_BYTES) {
                // read and dropped, so that a client still sending reads the refusal rather than a reset connection
                try {
                    Content.Source.consumeAll(request);
                } catch (java.io.IOException gone) {
                    // the client stopped sending: the refusal goes out all the same, to whoever is left
                }
            }
            throw new TooLarge();
        }
        byte[] body;
        // read into the server's pooled buffers, not a new buffer per request
        RetainableByteBuffer read;
        try {
            read = Content.Source.asRetainableByteBuffer(
                            request, request.getComponents().getByteBufferPool(), false, ApiServer.MAX_BODY_BYTES)
                    .get();
        } catch (ExecutionException e) {
            throw new TooLarge();
        }
        try {
            body = BufferUtil.toArray(read.getByteBuffer());
        } finally {
            read.release();
        }
        RegisteredEndpoint registered = registrations.register(who, key, id, body);
        response.getHeaders().put("X-Wharf-Revision", Long.toString(registered.revision()));
        return Json.write(Views.endpoint(registered));
    }

    private Principal who(Request request) {
        return access.who(request.getHeaders().get(HttpHeader.AUTHORIZATION));
    }

    private static ServiceKey service(Map<String, String> p) {
        return new ServiceKey(Names.check("namespace", p.get("ns")), Names.check("service", p.get("svc")));
    }

    /** What a hot route does: the JSON body of its answer, or a refusal to render. */
    @FunctionalInterface
    private interface Work {
        byte[] run() throws Exception;
    }

    /** A body over the limit, or one that could not be read in full. */
    private static final class TooLarge extends Exception {
        TooLarge() {
            super(null, null, false, false);
        }
    }

    private static void answer(Response response, Callback callback, String path, Work work) {
        byte[] body;
        try {
            body = work.run();
        } catch (Exception e) {
            refuse(response, callback, e, path);
            return;
        }
        write(response, callback, 200, JSON, body);
    }

    private static void refuse(Response response, Callback callback, Exception e, String path) {
        Problems.Rendered refusal = refusal(e, path);
        if (refusal.challenge()) response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
        write(response, callback, refusal.status(), Problems.CONTENT_TYPE, refusal.body());
    }

    private static Problems.Rendered refusal(Exception e, String path) {
        return switch (e) {
            case WharfException w -> Problems.render(w, path);
            case TooLarge t -> Problems.tooLarge(path);
            default -> {
                log.error("request failed path={}", path, e);
                yield Problems.unexpected(path);
            }
        };
    }

    private static void write(Response response, Callback callback, int status, String type, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
