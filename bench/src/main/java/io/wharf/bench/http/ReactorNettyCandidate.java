package io.wharf.bench.http;

import io.wharf.server.api.CandidateCore;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Reactor Netty (Netty's event loops, one per core), its routing with path templates. The registry's calls run on
 * the event loop (a registration of an endpoint of a known service does not block); an event stream is fed by a
 * virtual thread of its own, as in the API today.
 */
final class ReactorNettyCandidate {
    static HttpCandidates.Candidate start(CandidateCore core, int port) {
        DisposableServer server = HttpServer.create()
                .host("127.0.0.1")
                .port(port)
                .route(routes -> routes.put(HttpCandidates.ENDPOINT, (req, res) -> req.receive()
                                .aggregate()
                                .asByteArray()
                                .defaultIfEmpty(new byte[0])
                                .flatMap(body -> reply(
                                        res,
                                        core.register(
                                                req.param("ns"),
                                                req.param("svc"),
                                                req.param("ipPort"),
                                                req.requestHeaders().get("Authorization"),
                                                body))))
                        .get(HttpCandidates.ENDPOINTS, (req, res) -> endpoints(core, req, res)))
                .bindNow();
        return server::disposeNow;
    }

    private static Publisher<Void> endpoints(CandidateCore core, HttpServerRequest req, HttpServerResponse res) {
        String auth = req.requestHeaders().get("Authorization");
        if (!HttpCandidates.wantsEvents(req.requestHeaders().get("Accept"))) {
            return reply(res, core.list(req.param("ns"), req.param("svc"), auth));
        }
        CandidateCore.Events events = core.watch(req.param("ns"), req.param("svc"), auth);
        if (events == null) return res.status(401).send();
        Flux<byte[]> stream = Flux.create(sink -> {
            Thread pump = Thread.ofVirtual().start(() -> {
                try {
                    sink.next(events.first());
                    while (!sink.isCancelled()) sink.next(events.next(HttpCandidates.KEEP_ALIVE_MILLIS));
                } catch (InterruptedException | RuntimeException gone) {
                    sink.complete();
                }
            });
            sink.onDispose(() -> {
                pump.interrupt();
                events.close();
            });
        });
        return res.sse().header("Cache-Control", "no-cache").sendByteArray(stream);
    }

    private static Mono<Void> reply(HttpServerResponse res, CandidateCore.Reply r) {
        res.status(r.status()).header("Content-Type", "application/json");
        if (r.revision() >= 0) res.header("X-Wharf-Revision", Long.toString(r.revision()));
        return res.sendByteArray(Mono.just(r.body())).then();
    }

    private ReactorNettyCandidate() {}
}
