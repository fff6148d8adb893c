package io.wharf.bench.http;

import io.wharf.server.api.CandidateCore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * One candidate HTTP server in front of the registry's hottest routes ({@link CandidateCore}), for
 * {@code bench/http-candidates.sh}: {@code PUT /v1/namespaces/{ns}/services/{svc}/endpoints/{ipPort}},
 * {@code GET /v1/namespaces/{ns}/services/{svc}/endpoints} (JSON, or server-sent events with
 * {@code Accept: text/event-stream}).
 *
 * <p>Usage: {@code HttpCandidates javalin|jetty|helidon|reactor-netty PORT TOKEN ENDPOINTS SERVICES}. Before it
 * listens, it registers ENDPOINTS endpoints over SERVICES services in process (the addresses of
 * {@code bench/wrk/register.lua}), then prints {@code ready}.
 */
public final class HttpCandidates {
    /** A running candidate. */
    interface Candidate extends AutoCloseable {
        @Override
        void close();
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        int port = Integer.parseInt(args[1]);
        String token = args[2];
        int endpoints = Integer.parseInt(args[3]);
        int services = Integer.parseInt(args[4]);
        Path dir = Files.createTempDirectory("wharf-candidate");
        CandidateCore core = CandidateCore.open(dir, token);
        byte[] body = "{\"version\":\"v1\",\"ttl\":\"1h\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int n = 0; n < endpoints; n++) {
            int s = n % services;
            int e = n / services;
            String ip = "127." + (s / 65536) % 256 + "." + (s / 256) % 256 + "." + s % 256;
            var reply = core.register("default", "s" + s, ip + "_" + (8000 + e), "Bearer " + token, body);
            if (reply.status() != 200) throw new IllegalStateException(new String(reply.body()));
        }
        Candidate candidate =
                switch (name) {
                    case "javalin" -> JavalinCandidate.start(core, port);
                    case "jetty" -> JettyCandidate.start(core, port);
                    case "helidon" -> HelidonCandidate.start(core, port);
                    case "reactor-netty" -> ReactorNettyCandidate.start(core, port);
                    default ->
                        throw new IllegalArgumentException(
                                "candidate: " + name + " (expected: javalin, jetty, helidon or reactor-netty)");
                };
        System.out.println("ready " + name + " on 127.0.0.1:" + port + " with " + endpoints + " endpoints");
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            candidate.close();
            core.close();
            stop.countDown();
        }));
        stop.await();
    }

    static final long KEEP_ALIVE_MILLIS = 2_000;
    static final String ENDPOINT = "/v1/namespaces/{ns}/services/{svc}/endpoints/{ipPort}";
    static final String ENDPOINTS = "/v1/namespaces/{ns}/services/{svc}/endpoints";

    static boolean wantsEvents(String accept) {
        return accept != null && accept.contains("text/event-stream");
    }

    private HttpCandidates() {}
}
