package io.wharf.bench.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.wharf.server.api.CandidateCore;

/** Javalin 7 on Jetty 12, configured as the API server is (virtual threads). */
final class JavalinCandidate {
    static HttpCandidates.Candidate start(CandidateCore core, int port) {
        Javalin app = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.routes.put(
                    HttpCandidates.ENDPOINT,
                    ctx -> reply(
                            ctx,
                            core.register(
                                    ctx.pathParam("ns"),
                                    ctx.pathParam("svc"),
                                    ctx.pathParam("ipPort"),
                                    ctx.header("Authorization"),
                                    ctx.bodyAsBytes())));
            config.routes.get(HttpCandidates.ENDPOINTS, ctx -> {
                if (!HttpCandidates.wantsEvents(ctx.header("Accept"))) {
                    reply(ctx, core.list(ctx.pathParam("ns"), ctx.pathParam("svc"), ctx.header("Authorization")));
                    return;
                }
                CandidateCore.Events events =
                        core.watch(ctx.pathParam("ns"), ctx.pathParam("svc"), ctx.header("Authorization"));
                if (events == null) {
                    ctx.status(401);
                    return;
                }
                try (events) {
                    ctx.status(200).contentType("text/event-stream").header("Cache-Control", "no-cache");
                    events.writeTo(ctx.res().getOutputStream(), HttpCandidates.KEEP_ALIVE_MILLIS);
                }
            });
        });
        app.start("127.0.0.1", port);
        return app::stop;
    }

    private static void reply(Context ctx, CandidateCore.Reply r) {
        if (r.revision() >= 0) ctx.header("X-Wharf-Revision", Long.toString(r.revision()));
        ctx.status(r.status()).contentType("application/json").result(r.body());
    }

    private JavalinCandidate() {}
}
