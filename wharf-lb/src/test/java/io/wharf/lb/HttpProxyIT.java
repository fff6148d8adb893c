package io.wharf.lb;

import static io.wharf.lb.ManualFeed.up;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wharf.client.sdk.Rule;
import io.wharf.client.wire.Protocol;
import io.wharf.core.registry.EndpointId;
import io.wharf.core.registry.ServiceKey;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HttpProxyIT extends ProxyFixture {
    static final String LB_IP = "127.0.31.1";
    static final int PORT = 18101;
    static final ServiceKey WEB = new ServiceKey("default", "web");
    static final ServiceKey API = new ServiceKey("default", "api");

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void start() {
        LbSettings settings = LbSettings.defaults()
                .withAddress(LB_IP)
                .withIoThreads(2)
                .withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(5));
        lb = LoadBalancer.builtIn(settings, feed, meters);
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
        return "127.0.31." + (10 + n);
    }

    static Route web(Rule rule) {
        return new Route(WEB, Protocol.HTTP, PORT, 8080, "/", rule, Optional.empty());
    }

    @Test
    @DisplayName("no endpoint available: 503 naming the service; the client connection stays usable")
    void noEndpoint() throws Exception {
        route(web(Rule.ROUND_ROBIN));
        HttpResponse<String> r = get("/");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("no endpoint of default/web is available\n");
        TestBackend b = backend(0);
        feed.set(WEB, List.of(up(b.id())));
        assertThat(get("/").statusCode()).isEqualTo(200);
        assertThat(meters.get("wharf.lb.errors")
                        .tag("endpoint", "none")
                        .tag("reason", "no_endpoint")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    @DisplayName("malformed requests get 400, an oversized header 431, and the connection is closed")
    void badRequests() throws Exception {
        route(web(Rule.ROUND_ROBIN));
        feed.set(WEB, List.of(up(backend(0).id())));
        assertThat(raw("GARBAGE\r\n\r\n")).startsWith("HTTP/1.1 400 ");
        assertThat(raw("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n"))
                .startsWith("HTTP/1.1 400 ");
        assertThat(raw("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n"))
                .startsWith("HTTP/1.1 431 ");
        assertThat(raw("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"))
                .startsWith("HTTP/1.1 414 ");
        assertThat(raw("GET / HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.1 200 ").contains("127.0.31.10_8080");
    }

    @Test
    @DisplayName("an invalid chunk size is a 400, an HTTP/2 preface a 505; neither reaches an endpoint")
    void protocolEdges() throws Exception {
        route(web(Rule.ROUND_ROBIN));
        TestBackend b = backend(0);
        feed.set(WEB, List.of(up(b.id())));
        assertThat(raw("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nhello\r\n0\r\n\r\n"))
                .startsWith("HTTP/1.1 400 ")
                .contains("malformed request body");
        assertThat(raw("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"))
                .startsWith("HTTP/1.1 505 ")
                .contains("send HTTP/1.1");
        assertThat(get("/hello").statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("a request head trickling in a byte at a time is cut off with 408 after the head timeout")
    void slowHeadsAreCutOff() throws Exception {
        lb.close();
        lb = LoadBalancer.builtIn(
                LbSettings.defaults().withAddress(LB_IP).withIoThreads(2).withRequestHeadTimeout(Duration.ofSeconds(1)),
                feed,
                meters);
        route(web(Rule.ROUND_ROBIN));
        feed.set(WEB, List.of(up(backend(0).id())));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(LB_IP, PORT), 2000);
            s.setSoTimeout(200);
            OutputStream out = s.getOutputStream();
            byte[] head = "GET /hello HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1);
            StringBuilder answer = new StringBuilder();
            byte[] buf = new byte[4096];
            boolean closed = false;
            // a byte every 100 ms keeps the connection from ever being idle; only the head timeout ends it
            for (int i = 0; i < 600 && !closed; i++) {
                try {
                    out.write(i < head.length ? head[i] : 'a');
                    out.flush();
                } catch (java.io.IOException reset) {
                    closed = true;
                }
                try {
                    int n = s.getInputStream().read(buf);
                    if (n < 0) closed = true;
                    else answer.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                } catch (java.net.SocketTimeoutException nothingYet) {
                    // nothing to read yet
                } catch (java.io.IOException reset) {
                    closed = true;
                }
            }
            assertThat(closed).as("the load balancer closed the connection").isTrue();
            assertThat(answer.toString()).startsWith("HTTP/1.1 408 ").contains("did not arrive within 1000 ms");
        }
        // a whole request on a connection that waited between requests is not cut off
        assertThat(get("/hello").statusCode()).isEqualTo(200);
    }

    /** Sends {@code request} on a new connection and reads until the proxy closes it. */
    static String raw(String request) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(LB_IP, PORT), 2000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    @DisplayName("a refused connection ejects the endpoint and the request is retried once on another")
    void connectFailureRetriesOnAnother() throws Exception {
        TestBackend alive = backend(0);
        EndpointId dead = new EndpointId("127.0.31.30", 8080); // nothing listens there
        route(web(Rule.ROUND_ROBIN));
        feed.set(WEB, List.of(up(alive.id()), up(dead)));
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = get("/");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(alive.id().toString());
        }
        // ejected after its first refusal: one failed connection, not one per request
        assertThat(meters.get("wharf.lb.errors")
                        .tag("endpoint", dead.toString())
                        .tag("reason", "connect")
                        .counter()
                        .count())
                .isEqualTo(1.0);
        // every endpoint ejected: the one back first is tried rather than the request refused
        feed.set(WEB, List.of(up(dead)));
        HttpResponse<String> r = get("/");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).startsWith("could not connect to " + dead);
    }

    @Test
    @DisplayName("an idempotent request on a reused connection the endpoint closed is retried once; a POST is not")
    void staleKeepAliveRetry() throws Exception {
        try (ClosingBackend closing = new ClosingBackend("127.0.31.40", 8080)) {
            route(web(Rule.ROUND_ROBIN));
            feed.set(WEB, List.of(up(closing.id)));
            // the endpoint answers the first request of each connection and drops the connection on the second
            assertThat(get("/1").statusCode()).isEqualTo(200);
            HttpResponse<String> again = get("/2");
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(closing.connections.get()).isEqualTo(2);
            assertThat(meters.get("wharf.lb.errors")
                            .tag("reason", "reset")
                            .counter()
                            .count())
                    .isEqualTo(1.0);
            HttpResponse<String> post = http.send(
                    HttpRequest.newBuilder(URI.create("http://" + LB_IP + ":" + PORT + "/3"))
                            .POST(HttpRequest.BodyPublishers.ofString("x"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(502);
            assertThat(post.body()).contains("127.0.31.40_8080 closed the connection before answering");
        }
    }

    @Test
    @DisplayName("an endpoint that does not answer in time gets a 504")
    void responseTimeout() throws Exception {
        TestBackend slow = backend(0);
        slow.holdAnswers();
        route(web(Rule.ROUND_ROBIN));
        feed.set(WEB, List.of(up(slow.id())));
        long t0 = System.nanoTime();
        HttpResponse<String> r = get("/");
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.body()).contains("did not answer within 2000 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(4));
        assertThat(lb.load().get(0).inFlight()).containsEntry(slow.id(), 0);
        assertThat(lb.load().get(0).served().get(slow.id()).failures()).isEqualTo(1);
    }

    @Test
    @DisplayName("each endpoint's requests, failures (5xx answers included) and their time are counted")
    void servedCounts() throws Exception {
        List<EndpointId> ids = backends(2);
        route(web(Rule.ROUND_ROBIN));
        feed.set(WEB, up(ids));
        for (int i = 0; i < 4; i++) assertThat(get("/ok").statusCode()).isEqualTo(200);
        for (int i = 0; i < 2; i++) assertThat(get("/fail").statusCode()).isEqualTo(500);
        var served = lb.load().get(0).served();
        assertThat(served).containsOnlyKeys(ids);
        served.values().forEach(s -> {
            assertThat(s.requests()).isEqualTo(3);
            assertThat(s.failures()).isEqualTo(1);
            assertThat(s.totalNanos()).isPositive();
        });
    }

    @Test
    @DisplayName("request bodies stream through, X-Forwarded-For is added, HEAD has no body; bytes each way are counted"
            + " per endpoint IP")
    void bodiesAndHeaders() throws Exception {
        route(web(Rule.ROUND_ROBIN));
        feed.set(WEB, List.of(up(backend(0).id())));
        String big = "x".repeat(300_000);
        HttpResponse<String> r = post("/echo", big);
        assertThat(r.body()).isEqualTo("127.0.31.10_8080 " + big);
        assertThat(r.headers().firstValue("X-Seen-Forwarded-For")).hasValue("127.0.0.1");
        HttpResponse<String> head = head("/");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(meters.get("wharf.lb.requests")
                        .tag("endpoint", "127.0.31.10_8080")
                        .timer()
                        .count())
                .isEqualTo(2);
        // the container's traffic: the body each way, and the heads, counted on the wire
        assertThat(lb.traffic()).containsOnlyKeys("127.0.31.10");
        assertThat(lb.traffic().get("127.0.31.10").toEndpoint()).isBetween(300_000L, 302_000L);
        assertThat(lb.traffic().get("127.0.31.10").fromEndpoint()).isBetween(300_017L, 302_000L);
    }

    @Test
    @DisplayName("a second listener on a taken port is reported, not thrown")
    void portTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(LB_IP, PORT + 1));
            Map<Integer, String> problems = lb.apply(List.of(
                    web(Rule.ROUND_ROBIN),
                    new Route(API, Protocol.HTTP, PORT + 1, 8080, "/", Rule.ROUND_ROBIN, Optional.empty())));
            assertThat(problems).containsOnlyKeys(PORT + 1);
            assertThat(problems.get(PORT + 1)).contains("cannot listen on " + LB_IP + ":" + (PORT + 1));
            assertThat(lb.ports()).containsOnlyKeys(PORT);
        }
    }

    @Test
    @DisplayName("an answer framed by Content-Length passes through byte for byte; one that asks to close the"
            + " connection, or carries more than its length, is cleaned up; the client connection stays usable")
    void answersPassThrough() throws Exception {
        String odd = "HTTP/1.1 200 OK\r\nX-Odd:  two  spaces\r\nContent-Length: 2\r\n\r\nok";
        String closing = "HTTP/1.1 200 OK\r\nConnection: close\r\nX-Odd:  two  spaces\r\nContent-Length: 2\r\n\r\nok";
        String overlong = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokJUNK";
        String hop = "HTTP/1.1 200 OK\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\nContent-Length: 2\r\n\r\nok";
        try (ScriptedBackend backend =
                new ScriptedBackend("127.0.31.30", 8080, List.of(odd, closing, overlong, odd, hop))) {
            route(web(Rule.ROUND_ROBIN));
            feed.set(WEB, List.of(up(backend.id)));
            Socket client = new Socket(LB_IP, PORT);
            var in = client.getInputStream();
            var out = client.getOutputStream();
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                answers.add(readAnswer(in));
            }
            assertThat(answers.get(0)).isEqualTo(odd);
            // decoded and encoded again: the endpoint's wish to close is its own, the spacing is normalised
            assertThat(answers.get(1))
                    .doesNotContain("Connection")
                    .doesNotContain("X-Odd:  ")
                    .endsWith("\r\n\r\nok");
            // what came after the answer's length never reaches the client
            assertThat(answers.get(2)).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            assertThat(answers.get(3)).isEqualTo(odd);
            // a header the Connection header names is for that hop only
            assertThat(answers.get(4))
                    .doesNotContain("X-Hop")
                    .doesNotContain("Connection")
                    .endsWith("ok");
            // the connections that asked to close, or said too much, were not used again
            assertThat(backend.connections.get()).isEqualTo(3);
            client.close();
        }
    }

    /** Reads one answer framed by Content-Length from a raw connection, head and body. */
    private static String readAnswer(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) throw new IllegalStateException("closed after " + head);
            head.append((char) c);
        }
        Matcher m = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
        return head + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }

    /** An endpoint that answers the requests it gets, over all its connections, with the answers given, in turn. */
    static final class ScriptedBackend implements AutoCloseable {
        final EndpointId id;
        final ServerSocket server;
        final AtomicInteger connections = new AtomicInteger();
        final AtomicInteger next = new AtomicInteger();

        ScriptedBackend(String ip, int port, List<String> answers) throws Exception {
            id = new EndpointId(ip, port);
            server = serveEach(ip, port, connections, s -> {
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                String line;
                while ((line = in.readLine()) != null) {
                    if (!line.isEmpty()) continue; // GETs: the head ends at the first empty line
                    String answer = answers.get(next.getAndIncrement() % answers.size());
                    s.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().flush();
                }
            });
        }

        @Override
        public void close() throws Exception {
            server.close();
        }
    }

    /**
     * An endpoint that answers the first request of a connection with keep-alive, then closes the connection
     * as soon as the second request arrives: a keep-alive connection that timed out on the endpoint's side.
     */
    static final class ClosingBackend implements AutoCloseable {
        final EndpointId id;
        final ServerSocket server;
        final AtomicInteger connections = new AtomicInteger();

        ClosingBackend(String ip, int port) throws Exception {
            id = new EndpointId(ip, port);
            server = serveEach(ip, port, connections, this::serveOnce);
        }

        private void serveOnce(Socket s) throws Exception {
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            readHead(in);
            byte[] body = id.toString().getBytes(StandardCharsets.ISO_8859_1);
            s.getOutputStream()
                    .write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n" + id)
                            .getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            readHead(in);
        }

        private static void readHead(BufferedReader in) throws Exception {
            String line;
            int length = 0;
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                if (line.toLowerCase().startsWith("content-length:"))
                    length = Integer.parseInt(line.substring(15).trim());
            }
            in.skip(length);
        }

        @Override
        public void close() throws Exception {
            server.close();
        }
    }

    /** What a scripted endpoint does with one connection; the connection is closed after. */
    interface Connection {
        void serve(Socket s) throws Exception;
    }

    /** Listens on {@code ip:port} and serves each connection on a virtual thread of its own, counting them. */
    static ServerSocket serveEach(String ip, int port, AtomicInteger connections, Connection connection)
            throws Exception {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(ip, port));
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            connection.serve(s);
                        } catch (Exception e) {
                            // the connection ends either way
                        }
                    });
                } catch (Exception e) {
                    return;
                }
            }
        });
        return server;
    }

    static String summary(Map<String, Long> m) {
        return m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }
}
