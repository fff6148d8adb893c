package io.wharf.lb;

import static io.wharf.lb.ManualFeed.draining;
import static io.wharf.lb.ManualFeed.up;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.client.sdk.Rule;
import io.wharf.client.wire.Protocol;
import io.wharf.core.registry.EndpointId;
import io.wharf.core.registry.ServiceKey;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a host's load balancer does, whichever engine runs it (claims 004.4, 004.5): the built-in proxy and
 * HAProxy driven by Wharf, the same tests on each — routing by port and context path, each rule's
 * distribution, weights, TCP, no endpoint, drain with what is in flight. Live changes under load are in
 * {@link LiveChangesIT}, engine-specific behaviour in {@link HttpProxyIT}, {@link TcpProxyIT} and {@code
 * HaproxyDataPlaneIT}.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"built-in", "haproxy"})
class EngineContractIT extends ProxyFixture {
    static final String LB_IP = "127.0.57.1";
    static final int PORT = 18601;
    static final int TCP_PORT = 18602;
    static final ServiceKey WEB = new ServiceKey("default", "web");
    static final ServiceKey API = new ServiceKey("default", "api");
    static final ServiceKey DB = new ServiceKey("default", "db");

    @Parameter
    String engine;

    @TempDir
    Path dir;

    final List<TcpEcho> servers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        LbSettings settings = LbSettings.defaults()
                .withAddress(LB_IP)
                .withIoThreads(2)
                .withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(5));
        lb = LiveChangesIT.loadBalancer(engine, settings, feed, dir);
    }

    @AfterEach
    void stopEchoes() throws Exception {
        for (TcpEcho s : servers) s.close();
    }

    @Override
    String lbIp() {
        return LB_IP;
    }

    @Override
    int port() {
        return PORT;
    }

    @Override
    String backendIp(int n) {
        return "127.0.57." + (10 + n);
    }

    static Route web(Rule rule) {
        return new Route(WEB, Protocol.HTTP, PORT, 8080, "/", rule, Optional.empty());
    }

    EndpointId echo(String ip) throws Exception {
        TcpEcho e = TcpEcho.start(ip);
        servers.add(e);
        return e.id();
    }

    @Test
    @DisplayName("round robin: each endpoint in turn, over keep-alive connections on both sides")
    void roundRobin() throws Exception {
        List<EndpointId> ids = backends(3);
        route(web(Rule.ROUND_ROBIN));
        feed.set(WEB, up(ids));
        Map<String, Long> counts = spread(300);
        assertThat(counts).hasSize(3).allSatisfy((id, n) -> assertThat(n).isEqualTo(100L));
    }

    @Test
    @DisplayName("weighted round robin follows the registry's weights, and a re-weighting applies at once")
    void weighted() throws Exception {
        List<EndpointId> ids = backends(3);
        route(web(Rule.WEIGHTED_ROUND_ROBIN));
        feed.set(WEB, List.of(up(ids.get(0), 1), up(ids.get(1), 2), up(ids.get(2), 3)));
        assertThat(spread(600))
                .containsEntry(ids.get(0).toString(), 100L)
                .containsEntry(ids.get(1).toString(), 200L)
                .containsEntry(ids.get(2).toString(), 300L);
        feed.set(WEB, List.of(up(ids.get(0), 1), up(ids.get(1), 0), up(ids.get(2), 1)));
        assertThat(spread(100))
                .containsEntry(ids.get(0).toString(), 50L)
                .containsEntry(ids.get(2).toString(), 50L)
                .doesNotContainKey(ids.get(1).toString());
    }

    @Test
    @DisplayName("least connections sends to the endpoint with nothing in flight")
    void leastConnections() throws Exception {
        List<EndpointId> ids = backends(2);
        route(web(Rule.LEAST_CONNECTIONS));
        feed.set(WEB, up(ids));
        TestBackend first = backends.get(0);
        TestBackend second = backends.get(1);
        // one request held on whichever endpoint gets it; every later one goes to the other
        first.holdAnswers();
        second.holdAnswers();
        CompletableFuture<HttpResponse<String>> held = http.sendAsync(
                HttpRequest.newBuilder(URI.create("http://" + LB_IP + ":" + PORT + "/slow"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        await().until(() -> first.waiting() + second.waiting() == 1);
        TestBackend busy = first.waiting() == 1 ? first : second;
        TestBackend idle = busy == first ? second : first;
        idle.release();
        Map<String, Long> counts = spread(20);
        assertThat(counts).containsOnlyKeys(idle.id().toString());
        busy.release();
        assertThat(held.get().body()).isEqualTo(busy.id().toString());
    }

    @Test
    @DisplayName("consistent hash on a header: one key, one endpoint; keys spread over all")
    void consistentHash() throws Exception {
        List<EndpointId> ids = backends(3);
        route(new Route(WEB, Protocol.HTTP, PORT, 8080, "/", Rule.CONSISTENT_HASH, Optional.of("X-User")));
        feed.set(WEB, up(ids));
        Map<String, String> byUser = new TreeMap<>();
        for (int round = 0; round < 3; round++) {
            for (int u = 0; u < 60; u++) {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://" + LB_IP + ":" + PORT + "/"))
                                .header("X-User", "user-" + u)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                String before = byUser.putIfAbsent("user-" + u, r.body());
                if (before != null) assertThat(r.body()).isEqualTo(before);
            }
        }
        assertThat(byUser.values().stream().distinct().count()).isEqualTo(3);
    }

    @Test
    @DisplayName("context paths route services sharing a port, longest first; other paths get 404")
    void contextPaths() throws Exception {
        TestBackend a = backend(0);
        TestBackend b = backend(1);
        route(
                new Route(WEB, Protocol.HTTP, PORT, 8080, "/", Rule.ROUND_ROBIN, Optional.empty()),
                new Route(API, Protocol.HTTP, PORT, 8080, "/api", Rule.ROUND_ROBIN, Optional.empty()));
        feed.set(WEB, List.of(up(a.id())));
        feed.set(API, List.of(up(b.id())));
        assertThat(get("/api/users?x=1").body()).isEqualTo(b.id().toString());
        assertThat(get("/api").body()).isEqualTo(b.id().toString());
        assertThat(get("/apis").body()).isEqualTo(a.id().toString());
        assertThat(get("/").body()).isEqualTo(a.id().toString());
        assertThat(get("/api/users").headers().firstValue("X-Path")).hasValue("/api/users");

        route(new Route(API, Protocol.HTTP, PORT, 8080, "/api", Rule.ROUND_ROBIN, Optional.empty()));
        HttpResponse<String> none = get("/web");
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(none.body()).contains("no service is routed at /web on port " + PORT);
    }

    @Test
    @DisplayName("a drained endpoint gets no new requests; the one in flight completes; in-flight reads 1, then 0")
    void drainKeepsInFlight() throws Exception {
        List<EndpointId> ids = backends(2);
        TestBackend a = backends.get(0);
        route(web(Rule.ROUND_ROBIN));
        feed.set(WEB, List.of(up(ids.get(0))));
        a.holdAnswers();
        CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(
                HttpRequest.newBuilder(URI.create("http://" + LB_IP + ":" + PORT + "/long"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        await().until(() -> a.waiting() == 1);
        feed.set(WEB, List.of(draining(ids.get(0)), up(ids.get(1))));
        assertThat(lb.load().get(0).inFlight()).containsEntry(ids.get(0), 1);
        assertThat(spread(10)).containsOnlyKeys(ids.get(1).toString());
        feed.set(WEB, List.of(up(ids.get(1)))); // and then removed altogether
        assertThat(lb.load().get(0).inFlight()).containsEntry(ids.get(0), 1);
        a.release();
        assertThat(inFlight.get().statusCode()).isEqualTo(200);
        assertThat(inFlight.get().body()).isEqualTo(ids.get(0).toString());
        await().until(() -> lb.load().get(0).inFlight().getOrDefault(ids.get(0), 0) == 0);
    }

    @Test
    @DisplayName(
            "each endpoint's requests are timed one by one: the latency the autoscaler and a release's watch" + " read")
    void latencyPerRequest() throws Exception {
        List<EndpointId> ids = backends(2);
        route(web(Rule.ROUND_ROBIN));
        feed.set(WEB, up(ids));
        spread(100);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Map<EndpointId, Served> served = lb.load().get(0).served();
            for (EndpointId id : ids) {
                assertThat(served.get(id).requests()).isEqualTo(50);
                assertThat(served.get(id).latencyMicros().getTotalCount()).isEqualTo(50);
            }
        });
    }

    @Test
    @DisplayName("power of two choices: with nothing in flight anywhere, every endpoint gets a share")
    void powerOfTwoChoices() throws Exception {
        List<EndpointId> ids = backends(3);
        route(web(Rule.POWER_OF_TWO_CHOICES));
        feed.set(WEB, up(ids));
        assertThat(spread(300)).hasSize(3).allSatisfy((id, n) -> assertThat(n).isBetween(40L, 160L));
    }

    @Test
    @DisplayName("no endpoint available: 503 naming the service; once one is there, it serves")
    void noEndpoint() throws Exception {
        route(web(Rule.ROUND_ROBIN));
        HttpResponse<String> r = get("/");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("no endpoint of default/web is available\n");
        TestBackend b = backend(0);
        feed.set(WEB, List.of(up(b.id())));
        assertThat(get("/").statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("request bodies pass through, X-Forwarded-For is added, HEAD has no body")
    void bodiesAndForwardedFor() throws Exception {
        route(web(Rule.ROUND_ROBIN));
        feed.set(WEB, List.of(up(backend(0).id())));
        String big = "x".repeat(300_000);
        HttpResponse<String> r = post("/echo", big);
        assertThat(r.body()).isEqualTo("127.0.57.10_8080 " + big);
        assertThat(r.headers().firstValue("X-Seen-Forwarded-For")).hasValue("127.0.0.1");
        HttpResponse<String> head = head("/");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    @DisplayName("TCP: connections go round robin, bytes are relayed both ways, a large payload intact")
    void relay() throws Exception {
        EndpointId a = echo("127.0.57.60");
        EndpointId b = echo("127.0.57.61");
        assertThat(lb.apply(
                        List.of(new Route(DB, Protocol.TCP, TCP_PORT, 9000, "/", Rule.ROUND_ROBIN, Optional.empty()))))
                .isEmpty();
        feed.set(DB, List.of(up(a), up(b)));
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < 10; i++) {
            try (Socket s = TcpEcho.connect(LB_IP, TCP_PORT)) {
                counts.merge(TcpEcho.firstLine(s), 1, Integer::sum);
            }
        }
        assertThat(counts).containsEntry(a.toString(), 5).containsEntry(b.toString(), 5);

        byte[] payload = new byte[2_000_000];
        for (int i = 0; i < payload.length; i++) payload[i] = (byte) ('a' + i % 26);
        try (Socket s = TcpEcho.connect(LB_IP, TCP_PORT)) {
            TcpEcho.firstLine(s);
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    s.getOutputStream().write(payload);
                    s.shutdownOutput();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            byte[] back = s.getInputStream().readAllBytes();
            writer.join();
            assertThat(back).isEqualTo(payload);
        }
    }
}
