package io.wharf.bench.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.wharf.server.api.CandidateCore;
import java.io.OutputStream;

/** Helidon SE 4 (its own HTTP/1.1 server, a virtual thread per request), its routing with path templates. */
final class HelidonCandidate {
    static HttpCandidates.Candidate start(CandidateCore core, int port) {
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(port)
                .routing(r -> r.put(
                                HttpCandidates.ENDPOINT,
                                (req, res) -> reply(
                                        res,
                                        core.register(
                                                param(req, "ns"),
                                                param(req, "svc"),
                                                param(req, "ipPort"),
                                                header(req, "Authorization"),
                                                req.content().as(byte[].class))))
                        .get(HttpCandidates.ENDPOINTS, (req, res) -> endpoints(core, req, res)))
                .build()
                .start();
        return server::stop;
    }

    private static void endpoints(CandidateCore core, ServerRequest req, ServerResponse res) throws Exception {
        String auth = header(req, "Authorization");
        if (!HttpCandidates.wantsEvents(header(req, "Accept"))) {
            reply(res, core.list(param(req, "ns"), param(req, "svc"), auth));
            return;
        }
        CandidateCore.Events events = core.watch(param(req, "ns"), param(req, "svc"), auth);
        if (events == null) {
            res.status(Status.UNAUTHORIZED_401).send();
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        try (events;
                OutputStream out = res.outputStream()) {
            events.writeTo(out, HttpCandidates.KEEP_ALIVE_MILLIS);
        }
    }

    private static String param(ServerRequest req, String name) {
        return req.path().pathParameters().get(name);
    }

    private static String header(ServerRequest req, String name) {
        return req.headers().first(HeaderNames.create(name)).orElse(null);
    }

    private static void reply(ServerResponse res, CandidateCore.Reply r) {
        res.status(Status.create(r.status()));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        if (r.revision() >= 0) res.header(HeaderNames.create("X-Wharf-Revision"), Long.toString(r.revision()));
        res.send(r.body());
    }

    private HelidonCandidate() {}
}
