package io.wharf.lb.haproxy;

import static io.wharf.lb.ManualFeed.up;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.client.sdk.Rule;
import io.wharf.client.wire.Protocol;
import io.wharf.core.registry.ServiceKey;
import io.wharf.lb.LbSettings;
import io.wharf.lb.LoadBalancer;
import io.wharf.lb.ManualFeed;
import io.wharf.lb.Route;
import io.wharf.lb.SteadyLoad;
import io.wharf.lb.TestBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HAProxy driven by Wharf: its configuration from the routes, endpoints through its runtime API. */
class HaproxyDataPlaneIT {
    static final String LB_IP = "127.0.33.1";
    static final ServiceKey WEB = new ServiceKey("default", "web");
    static final ServiceKey API = new ServiceKey("default", "api");

    @TempDir
    Path dir;

    @Test
    @DisplayName("004.4 routes by port and context path, longest first; endpoints added live; the same routes again"
            + " are no reload; HAProxy's counters as the built-in engine's meters, gone with their endpoint")
    void routes() throws Exception {
        ManualFeed feed = new ManualFeed();
        io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        HaproxyDataPlane plane = HaproxyDataPlane.create(
                LbSettings.defaults().withAddress(LB_IP), dir, "haproxy", HaproxyConfig.builtIn(), meters);
        try (TestBackend web = TestBackend.start("127.0.34.1", 8080);
                TestBackend api = TestBackend.start("127.0.34.2", 9090);
                LoadBalancer lb = new LoadBalancer(plane, feed)) {
            var problems = lb.apply(List.of(
                    new Route(WEB, Protocol.HTTP, 18401, 8080, "/", Rule.ROUND_ROBIN, Optional.empty()),
                    new Route(API, Protocol.HTTP, 18401, 9090, "/api", Rule.LEAST_CONNECTIONS, Optional.empty())));
            assertThat(problems).as(Files.readString(plane.configFile())).isEmpty();
            feed.set(WEB, List.of(up(web.id())));
            feed.set(API, List.of(up(api.id())));
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> toWeb = http.send(
                    HttpRequest.newBuilder(URI.create("http://" + LB_IP + ":18401/x"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(toWeb.statusCode())
                    .as(Files.readString(plane.configFile()))
                    .isEqualTo(200);
            assertThat(toWeb.body()).contains("127.0.34.1");
            HttpResponse<String> toApi = http.send(
                    HttpRequest.newBuilder(URI.create("http://" + LB_IP + ":18401/api/items"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(toApi.body()).contains("127.0.34.2");
            // the agent applies its routes with every assignment: the same routes again are no reload
            String worker = new RuntimeApi(dir.resolve("stats.sock")).pid();
            assertThat(lb.apply(List.of(
                            new Route(WEB, Protocol.HTTP, 18401, 8080, "/", Rule.ROUND_ROBIN, Optional.empty()),
                            new Route(
                                    API,
                                    Protocol.HTTP,
                                    18401,
                                    9090,
                                    "/api",
                                    Rule.LEAST_CONNECTIONS,
                                    Optional.empty()))))
                    .isEmpty();
            assertThat(new RuntimeApi(dir.resolve("stats.sock")).pid()).isEqualTo(worker);
            // HAProxy's counters under the built-in engine's names; an endpoint that leaves takes its meters along
            org.awaitility.Awaitility.await()
                    .until(() -> meters.find("wharf.lb.requests")
                                    .tag("endpoint", api.id().toString())
                                    .functionTimer()
                                    .count()
                            >= 1);
            assertThat(meters.find("wharf.lb.in.flight")
                            .tag("endpoint", web.id().toString())
                            .gauge())
                    .isNotNull();
            feed.set(API, List.of());
            assertThat(meters.find("wharf.lb.requests")
                            .tag("endpoint", api.id().toString())
                            .functionTimer())
                    .isNull();
        }
    }

    @Test
    @DisplayName("004.4 004.5 more endpoints than slots: a configuration with more, loaded by a reload under load"
            + " with no failed request; a template HAProxy refuses is kept aside, with HAProxy's message, and the"
            + " running configuration goes on serving")
    void reloadsAndRefuses() throws Exception {
        ManualFeed feed = new ManualFeed();
        HaproxyDataPlane plane = HaproxyDataPlane.create(
                LbSettings.defaults().withAddress(LB_IP), dir, "haproxy", HaproxyConfig.builtIn());
        List<TestBackend> backends = new java.util.ArrayList<>();
        SteadyLoad load = null;
        try (LoadBalancer lb = new LoadBalancer(plane, feed);
                HttpClient http = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build()) {
            assertThat(lb.apply(List.of(Route.http(WEB, 18402, 8080)))).isEmpty();
            for (int i = 1; i <= 2; i++) backends.add(TestBackend.start("127.0.35." + i, 8080));
            feed.set(WEB, backends.stream().map(b -> up(b.id())).toList());
            load = SteadyLoad.start(http, URI.create("http://" + LB_IP + ":18402/x"), 4);
            // 20 endpoints where there are 8 slots: the backend grows, HAProxy reloads, traffic goes on
            for (int i = 3; i <= 20; i++) {
                backends.add(TestBackend.start("127.0.35." + i, 8080));
                feed.set(WEB, backends.stream().map(b -> up(b.id())).toList());
                load.awaitMore(20);
            }
            // written at the last reload (8 slots, then 16, then 32); later endpoints went through the runtime API
            assertThat(Files.readString(plane.configFile())).contains("server s17 127.0.35.17:8080", "server s32 ");
            assertThat(lb.load().get(0).served()).hasSize(20);

            // a template HAProxy refuses: the routes that need it are reported, the running one serves on
            HaproxyConfig broken =
                    HaproxyConfig.of(Files.readString(plane.configFile()).replace("mode http", "mode htp"));
            HaproxyDataPlane refused = HaproxyDataPlane.create(
                    LbSettings.defaults().withAddress(LB_IP), dir.resolve("other"), "haproxy", broken);
            try (refused) {
                var problems = refused.serve(List.of(Route.http(WEB, 18403, 8080)));
                assertThat(problems.get(18403)).contains("HAProxy refused the configuration", "htp");
                assertThat(dir.resolve("other/haproxy.cfg.rejected")).exists();
            }
            load.awaitMore(20);
            load.close();
            assertThat(load.failures).as("failed requests").isEmpty();
        } finally {
            if (load != null) load.close();
            backends.forEach(TestBackend::close);
        }
    }

    @Test
    @DisplayName("004.5 the agent dies (its data plane dropped, HAProxy left running): traffic goes on; the next"
            + " agent's data plane adopts the same HAProxy, reads its endpoints back, and changes them live")
    void adoptedByTheNextAgent() throws Exception {
        List<TestBackend> backends = new java.util.ArrayList<>();
        SteadyLoad load = null;
        Route route = Route.http(WEB, 18404, 8080);
        LbSettings settings = LbSettings.defaults().withAddress(LB_IP);
        try (HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            for (int i = 1; i <= 3; i++) backends.add(TestBackend.start("127.0.36." + i, 8080));
            ManualFeed first = new ManualFeed();
            HaproxyDataPlane dying = HaproxyDataPlane.create(settings, dir, "haproxy", HaproxyConfig.builtIn());
            new LoadBalancer(dying, first).apply(List.of(route));
            first.set(WEB, backends.stream().map(b -> up(b.id())).toList());
            String pid = Files.readString(dir.resolve("haproxy.pid")).trim();
            load = SteadyLoad.start(http, URI.create("http://" + LB_IP + ":18404/x"), 4);
            load.awaitMore(50);
            // the agent is gone: nobody drives HAProxy, which serves on; another agent starts
            ManualFeed next = new ManualFeed();
            try (LoadBalancer lb = new LoadBalancer(
                    HaproxyDataPlane.create(settings, dir, "haproxy", HaproxyConfig.builtIn()), next)) {
                assertThat(lb.apply(List.of(route))).isEmpty();
                next.set(WEB, backends.stream().map(b -> up(b.id())).toList());
                assertThat(Files.readString(dir.resolve("haproxy.pid")).trim()).isEqualTo(pid);
                // and changes endpoints: one more, one less
                backends.add(TestBackend.start("127.0.36.4", 8080));
                next.set(
                        WEB,
                        backends.subList(1, 4).stream().map(b -> up(b.id())).toList());
                org.awaitility.Awaitility.await()
                        .until(() -> lb.load()
                                        .get(0)
                                        .inFlight()
                                        .getOrDefault(backends.get(0).id(), 0)
                                == 0);
                load.awaitMore(50);
                assertThat(lb.load().get(0).served())
                        .containsOnlyKeys(backends.subList(1, 4).stream()
                                .map(TestBackend::id)
                                .toList());
                load.close();
            }
            assertThat(load.failures).as("failed requests").isEmpty();
        } finally {
            if (load != null) load.close();
            backends.forEach(TestBackend::close);
        }
    }

    @Test
    @DisplayName("004.4 a user's template HAProxy refuses for a new route: the routes are reported with HAProxy's"
            + " message, the file kept aside, and the configuration running before serves on with no failed"
            + " request")
    void userTemplateRefused() throws Exception {
        String builtIn;
        try (var in = HaproxyConfig.class.getResourceAsStream("haproxy.cfg.mustache")) {
            builtIn = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        // fine for round robin; a consistent-hash backend gets a line HAProxy does not know
        String user = builtIn.replace("    hash-type consistent", "    hash-type nonsense");
        assertThat(user).isNotEqualTo(builtIn);
        ManualFeed feed = new ManualFeed();
        HaproxyDataPlane plane = HaproxyDataPlane.create(
                LbSettings.defaults().withAddress(LB_IP), dir, "haproxy", HaproxyConfig.of(user));
        List<TestBackend> backends = new java.util.ArrayList<>();
        SteadyLoad load = null;
        try (LoadBalancer lb = new LoadBalancer(plane, feed);
                HttpClient http = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build()) {
            Route web = Route.http(WEB, 18406, 8080);
            assertThat(lb.apply(List.of(web))).isEmpty();
            for (int i = 1; i <= 2; i++) backends.add(TestBackend.start("127.0.63." + (10 + i), 8080));
            feed.set(WEB, backends.stream().map(b -> up(b.id())).toList());
            load = SteadyLoad.start(http, URI.create("http://" + LB_IP + ":18406/x"), 4);
            load.awaitMore(50);
            String running = Files.readString(plane.configFile());

            Route hashed = new Route(
                    new io.wharf.core.registry.ServiceKey("default", "api"),
                    io.wharf.client.wire.Protocol.HTTP,
                    18407,
                    8080,
                    "/",
                    io.wharf.client.sdk.Rule.CONSISTENT_HASH,
                    java.util.Optional.of("X-User"));
            Map<Integer, String> problems = lb.apply(List.of(web, hashed));
            assertThat(problems.get(18407)).contains("HAProxy refused the configuration", "'hash-type' only supports");
            assertThat(dir.resolve("haproxy.cfg.rejected")).exists();
            assertThat(Files.readString(plane.configFile())).isEqualTo(running);
            load.awaitMore(50);
            load.close();
            assertThat(load.failures).as("failed requests").isEmpty();
        } finally {
            if (load != null) load.close();
            backends.forEach(TestBackend::close);
        }
    }

    @Test
    @DisplayName("004.5 HAProxy killed (-9, its master and workers): the data plane starts it again with its routes"
            + " and endpoints, and it serves them; stopped by its data plane, it stays stopped")
    void startedAgainWhenItDies() throws Exception {
        List<TestBackend> backends = new java.util.ArrayList<>();
        ManualFeed feed = new ManualFeed();
        HaproxyDataPlane plane = HaproxyDataPlane.create(
                LbSettings.defaults().withAddress(LB_IP), dir, "haproxy", HaproxyConfig.builtIn());
        try (LoadBalancer lb = new LoadBalancer(plane, feed);
                HttpClient http = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build()) {
            assertThat(lb.apply(List.of(Route.http(WEB, 18405, 8080)))).isEmpty();
            for (int i = 1; i <= 2; i++) backends.add(TestBackend.start("127.0.63." + i, 8080));
            feed.set(WEB, backends.stream().map(b -> up(b.id())).toList());
            URI uri = URI.create("http://" + LB_IP + ":18405/x");
            assertThat(http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200);
            long pid =
                    Long.parseLong(Files.readString(dir.resolve("haproxy.pid")).trim());
            ProcessHandle master = ProcessHandle.of(pid).orElseThrow();
            List<ProcessHandle> all =
                    new java.util.ArrayList<>(master.descendants().toList());
            all.add(master);
            all.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle p : all) p.onExit().join();

            Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(() -> {
                        HttpResponse<String> r =
                                http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) seen.add(r.body());
                        return seen.size() == 2;
                    });
            assertThat(Long.parseLong(
                            Files.readString(dir.resolve("haproxy.pid")).trim()))
                    .isNotEqualTo(pid);
        } finally {
            backends.forEach(TestBackend::close);
        }
        // closed: HAProxy stopped, and not started again
        assertThat(dir.resolve("haproxy.pid")).doesNotExist();
        try (java.net.Socket s = new java.net.Socket()) {
            org.junit.jupiter.api.Assertions.assertThrows(
                    java.io.IOException.class, () -> s.connect(new java.net.InetSocketAddress(LB_IP, 18405), 500));
        }
    }

    @Test
    @DisplayName("004.4 a route on a port something else holds: reported at once with HAProxy's alert, the other"
            + " routes serving on")
    void portTaken() throws Exception {
        ManualFeed feed = new ManualFeed();
        HaproxyDataPlane plane = HaproxyDataPlane.create(
                LbSettings.defaults().withAddress(LB_IP), dir, "haproxy", HaproxyConfig.builtIn());
        try (TestBackend web = TestBackend.start("127.0.63.1", 8080);
                java.net.ServerSocket taken = new java.net.ServerSocket();
                LoadBalancer lb = new LoadBalancer(plane, feed)) {
            taken.bind(new java.net.InetSocketAddress(LB_IP, 18406));
            Route served = Route.http(WEB, 18405, 8080);
            assertThat(lb.apply(List.of(served))).isEmpty();
            feed.set(WEB, List.of(up(web.id())));
            long start = System.nanoTime();
            var problems = lb.apply(List.of(served, Route.http(API, 18406, 8080)));
            assertThat(problems.get(18406)).contains("HAProxy could not load the configuration", "18406");
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(java.time.Duration.ofSeconds(20));
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://" + LB_IP + ":18405/x"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).contains("127.0.63.1");
        }
    }
}
