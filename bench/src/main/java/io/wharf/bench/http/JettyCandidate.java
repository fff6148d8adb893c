package io.wharf.bench.http;

import io.wharf.server.api.CandidateCore;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.pathmap.UriTemplatePathSpec;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Jetty 12's core API (no servlets, no Javalin), its path templates for routing, handlers on virtual threads. */
final class JettyCandidate {
    static HttpCandidates.Candidate start(CandidateCore core, int port) throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool();
        pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        Server server = new Server(pool);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);

        UriTemplatePathSpec endpoint = new UriTemplatePathSpec(HttpCandidates.ENDPOINT);
        UriTemplatePathSpec endpoints = new UriTemplatePathSpec(HttpCandidates.ENDPOINTS);
        PathMappingsHandler routes = new PathMappingsHandler();
        routes.addMapping(endpoint, new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if (!request.getMethod().equals("PUT")) return false;
                Map<String, String> p =
                        endpoint.getPathParams(request.getHttpURI().getCanonicalPath());
                ByteBuffer body = Content.Source.asByteBuffer(request);
                byte[] bytes = new byte[body.remaining()];
                body.get(bytes);
                reply(
                        response,
                        callback,
                        core.register(
                                p.get("ns"),
                                p.get("svc"),
                                p.get("ipPort"),
                                request.getHeaders().get(HttpHeader.AUTHORIZATION),
                                bytes));
                return true;
            }
        });
        routes.addMapping(endpoints, new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if (!request.getMethod().equals("GET")) return false;
                Map<String, String> p =
                        endpoints.getPathParams(request.getHttpURI().getCanonicalPath());
                String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
                if (!HttpCandidates.wantsEvents(request.getHeaders().get(HttpHeader.ACCEPT))) {
                    reply(response, callback, core.list(p.get("ns"), p.get("svc"), auth));
                    return true;
                }
                CandidateCore.Events events = core.watch(p.get("ns"), p.get("svc"), auth);
                if (events == null) {
                    Response.writeError(request, response, callback, 401);
                    return true;
                }
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
                try (events;
                        OutputStream out = Content.Sink.asOutputStream(response)) {
                    events.writeTo(out, HttpCandidates.KEEP_ALIVE_MILLIS);
                }
                callback.succeeded();
                return true;
            }
        });
        server.setHandler(routes);
        server.start();
        return () -> {
            try {
                server.stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static void reply(Response response, Callback callback, CandidateCore.Reply r) {
        response.setStatus(r.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        if (r.revision() >= 0) response.getHeaders().put("X-Wharf-Revision", Long.toString(r.revision()));
        response.write(true, ByteBuffer.wrap(r.body()), callback);
    }

    private JettyCandidate() {}
}
