package io.wharf.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.wharf.client.wire.EndpointInfo;
import io.wharf.client.wire.EndpointState;
import io.wharf.client.wire.RegisterEndpoint;
import io.wharf.client.wire.RegisteredBy;
import io.wharf.client.wire.Wire;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WharfClientTest {
    private HttpServer server;
    private final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private WharfClient client() {
        return configure(WharfClient.builder(
                                "http://127.0.0.1:" + server.getAddress().getPort())
                        .token("t0k"))
                .build();
    }

    /** How the client under test is built; {@link ShortLivedClientTest} runs every test over the other transport. */
    WharfClient.Builder configure(WharfClient.Builder b) {
        return b;
    }

    private void answer(String path, int status, String contentType, String body) {
        server.createContext(path, ex -> {
            seen.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " auth="
                    + ex.getRequestHeaders().getFirst("Authorization") + " body="
                    + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            reply(ex, status, contentType, body);
        });
    }

    private static void reply(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", contentType);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Test
    @DisplayName("a call sends the token and the typed request, and reads the typed answer")
    void typedCall() {
        answer(
                "/v1/namespaces/prod/services/api/endpoints/127.0.1.4_8080",
                200,
                "application/json",
                "{\"id\":\"127.0.1.4_8080\",\"ip\":\"127.0.1.4\",\"port\":8080,\"state\":\"UP\",\"weight\":1,"
                        + "\"version\":\"v1\",\"metadata\":{\"zone\":\"a\"},\"registeredBy\":\"SDK\",\"lease\":\"e-1\","
                        + "\"revision\":42,\"fromANewerServer\":true}");
        EndpointInfo e = client().registry()
                .register(
                        "prod",
                        "api",
                        "127.0.1.4_8080",
                        new RegisterEndpoint("v1", null, "10s", null, Map.of("zone", "a"), null, RegisteredBy.SDK));
        assertThat(e.revision()).isEqualTo(42);
        assertThat(e.state()).isEqualTo(EndpointState.UP);
        assertThat(e.metadata()).containsEntry("zone", "a");
        assertThat(seen.poll())
                .startsWith("PUT /v1/namespaces/prod/services/api/endpoints/127.0.1.4_8080 auth=Bearer t0k body=")
                .contains("\"version\":\"v1\"", "\"ttl\":\"10s\"", "\"registeredBy\":\"SDK\"");
    }

    @Test
    @DisplayName("a refusal raises ApiException with the problem's status, fields and reasons")
    void refusal() {
        answer(
                "/v1/apply",
                400,
                "application/problem+json",
                "{\"type\":\"about:blank\",\"title\":\"Invalid input\",\"status\":400,\"detail\":\"2 fields are invalid\","
                        + "\"instance\":\"/v1/apply\",\"field\":\"replicas\",\"reason\":\"-1 (expected: >= 0)\","
                        + "\"errors\":[{\"field\":\"replicas\",\"reason\":\"-1 (expected: >= 0)\"},"
                        + "{\"field\":\"image\",\"reason\":\"missing\"}]}");
        assertThatThrownBy(() -> client().cluster().apply(Map.of("replicas", -1)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.problem().field()).contains("replicas");
                    assertThat(e.getMessage())
                            .contains("2 fields are invalid:", "replicas: -1 (expected: >= 0)", "image: missing");
                });
    }

    @Test
    @DisplayName("an answer that is not a problem still raises ApiException with its text")
    void plainRefusal() {
        answer("/v1/health", 502, "text/plain", "bad gateway");
        assertThatThrownBy(() -> client().cluster().health()).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(502);
            assertThat(e.problem().detail()).isEqualTo("bad gateway");
        });
    }

    @Test
    @DisplayName("a server that is not there raises UnreachableException saying where it looked")
    void unreachable() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        WharfClient c =
                configure(WharfClient.builder("http://127.0.0.1:" + port)).build();
        assertThatThrownBy(() -> c.cluster().health())
                .isInstanceOf(UnreachableException.class)
                .hasMessageContaining("127.0.0.1:" + port);
    }

    @Test
    @DisplayName("a watch reads a snapshot, puts, deletes and a resync as typed events, skipping keep-alives")
    void watch() throws IOException {
        answer(
                "/v1/namespaces/default/services/demo/endpoints",
                200,
                "text/event-stream",
                "id: 5\nevent: snapshot\ndata: {\"namespace\":\"default\",\"service\":\"demo\",\"revision\":5,"
                        + "\"endpoints\":[]}\n\n: keep-alive\n\n"
                        + "id: 6\nevent: put\ndata: {\"revision\":6,\"endpoint\":{\"id\":\"127.0.1.2_8080\",\"ip\":\"127.0.1.2\","
                        + "\"port\":8080,\"state\":\"UP\",\"weight\":1,\"version\":\"v1\",\"metadata\":{},"
                        + "\"registeredBy\":\"AGENT\",\"lease\":\"l-1\",\"revision\":6}}\n\n"
                        + "id: 7\nevent: delete\ndata: {\"revision\":7,\"id\":\"127.0.1.2_8080\",\"reason\":\"deregistered\"}\n\n"
                        + "event: resync\ndata: {\"reason\":\"fell behind\"}\n\n");
        List<String> got = new ArrayList<>();
        try (EventStream s = client().registry().watch("default", "demo", Optional.of("lb@a"), 4, true)) {
            Optional<WatchEvent> e;
            while ((e = s.next()).isPresent()) {
                got.add(e.get().kind() + "@" + e.get().revision());
            }
        }
        assertThat(got).containsExactly("SNAPSHOT@5", "PUT@6", "DELETE@7", "RESYNC@0");
        assertThat(seen.poll())
                .startsWith(
                        "GET /v1/namespaces/default/services/demo/endpoints?watcher=lb%40a&acknowledge=true&since=4");
    }

    @Test
    @DisplayName("a followed watch hands its events to the listener in order, on a thread not the caller's, and ends"
            + " when the listener says so while the server still holds the stream open")
    void follow() throws Exception {
        CountDownLatch serverDone = new CountDownLatch(1);
        server.createContext("/v1/namespaces/default/services/demo/endpoints", ex -> {
            ex.getResponseHeaders().add("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            out.write(("id: 5\nevent: snapshot\ndata: {\"namespace\":\"default\",\"service\":\"demo\",\"revision\":5,"
                            + "\"endpoints\":[]}\n\n: keep-alive\n\n"
                            + "id: 7\nevent: delete\ndata: {\"revision\":7,\"id\":\"127.0.1.2_8080\",\"reason\":\"gone\"}\n\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            try {
                // the stream stays open: only the client can end it
                serverDone.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        List<String> got = new CopyOnWriteArrayList<>();
        List<Thread> on = new CopyOnWriteArrayList<>();
        try {
            EventSubscription s = client().registry().follow("default", "demo", Optional.of("sdk@a"), -1, false, e -> {
                got.add(e.kind() + "@" + e.revision());
                on.add(Thread.currentThread());
                return e.kind() != WatchEvent.Kind.DELETE;
            });
            s.ended().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(got).containsExactly("SNAPSHOT@5", "DELETE@7");
            assertThat(on).doesNotContain(Thread.currentThread());
        } finally {
            serverDone.countDown();
        }
    }

    @Test
    @DisplayName("a watch whose handler fails starts again from a snapshot, so the handler gets the whole list again;"
            + " a stream that ends is resumed from the revision applied")
    void handlerFailureStartsFromSnapshot() throws Exception {
        answer(
                "/v1/namespaces/default/services/demo/endpoints",
                200,
                "text/event-stream",
                "id: 5\nevent: snapshot\ndata: {\"namespace\":\"default\",\"service\":\"demo\",\"revision\":5,"
                        + "\"endpoints\":[]}\n\n");
        answer("/v1/namespaces/default/services/demo/watchers/", 200, "application/json", "{}");
        List<Long> handled = new CopyOnWriteArrayList<>();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (ServiceWatch w = ServiceWatch.start(
                client(),
                "default",
                "demo",
                "sdk@a",
                ServiceWatch.Acknowledging.REMOVALS,
                Duration.ZERO,
                timer,
                Duration.ZERO,
                (revision, endpoints) -> {
                    handled.add(revision);
                    if (handled.size() == 1) throw new IllegalStateException("the first list is not taken");
                })) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> seen.stream().anyMatch(r -> r.startsWith("GET") && r.contains("since=5")));
        } finally {
            timer.shutdownNow();
        }
        assertThat(handled).startsWith(5L, 5L);
        List<String> watches = seen.stream()
                .filter(r -> r.startsWith("GET"))
                .map(r -> r.substring(0, r.indexOf(' ', 4)))
                .collect(Collectors.toList());
        // the failed snapshot, the snapshot again, then the resumed stream
        assertThat(watches.get(0)).doesNotContain("since=");
        assertThat(watches.get(1)).doesNotContain("since=");
        assertThat(watches.get(2)).contains("since=5");
    }

    @Test
    @DisplayName("a followed watch the server refuses ends with the server's problem")
    void followRefused() {
        answer(
                "/v1/namespaces/default/services/demo/endpoints",
                404,
                "application/problem+json",
                "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
                        + "\"detail\":\"no namespace 'default'\"}");
        EventSubscription s = client().registry().follow("default", "demo", Optional.empty(), -1, false, e -> true);
        assertThatThrownBy(() -> s.ended().toCompletableFuture().get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ApiException.class)
                .hasMessageContaining("no namespace 'default'");
    }

    @Test
    @DisplayName("a downloaded package is kept only if its sha256 is the image's, and nothing is left otherwise")
    void verifiesPackages(@TempDir Path dir) throws Exception {
        byte[] pkg = "the package".getBytes(StandardCharsets.UTF_8);
        server.createContext("/v1/images/app/v1/package", ex -> {
            ex.sendResponseHeaders(200, pkg.length);
            ex.getResponseBody().write(pkg);
            ex.close();
        });
        StringBuilder sha = new StringBuilder();
        for (byte b : MessageDigest.getInstance("SHA-256").digest(pkg)) sha.append(String.format("%02x", b));
        Path good = dir.resolve("images").resolve(sha.toString());
        client().hosts().downloadPackage("app", "v1", sha.toString(), good);
        assertThat(Files.readAllBytes(good)).isEqualTo(pkg);

        Path bad = dir.resolve("images").resolve("0".repeat(64));
        assertThatThrownBy(() -> client().hosts().downloadPackage("app", "v1", "0".repeat(64), bad))
                .isInstanceOf(ClientException.class)
                .hasMessageContaining("expected " + "0".repeat(64));
        assertThat(bad).doesNotExist();
        try (var left = Files.list(dir.resolve("images"))) {
            assertThat(left).containsExactly(good);
        }
    }

    @Test
    @DisplayName("wire objects survive a round trip through JSON unchanged")
    void roundTrip() throws IOException {
        var mapper = Wire.mapper();
        EndpointInfo e = new EndpointInfo(
                "127.0.1.2_8080",
                "127.0.1.2",
                8080,
                EndpointState.DRAINING,
                3,
                "v2",
                Map.of("a", "b"),
                RegisteredBy.RELEASE,
                "l-9",
                77);
        assertThat(mapper.readValue(mapper.writeValueAsBytes(e), EndpointInfo.class))
                .isEqualTo(e);
    }
}
