package io.wharf.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.testing.Http;
import io.wharf.server.testing.SseReader;
import io.wharf.server.testing.WharfServerExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RegistryApiIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String API = "/v1/namespaces/default/services/api/endpoints";

    @RegisterExtension
    final WharfServerExtension wharf =
            new WharfServerExtension(c -> c.withWatcherBuffer(8).withWatcherGrace(Duration.ofSeconds(2)));

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    @DisplayName("003.1 register, then discover: the endpoint is listed with its state and the revision")
    void registerAndDiscover() throws Exception {
        Http http = wharf.http();
        var put = http.put(
                API + "/127.0.1.4_8080",
                "{\"version\":\"v1\",\"weight\":2,\"ttl\":\"10s\",\"metadata\":{\"zone\":\"a\"}}");
        assertThat(put.statusCode()).isEqualTo(200);
        var list = http.get(API);
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode body = json(list);
        assertThat(body.get("revision").asLong())
                .isEqualTo(json(put).get("revision").asLong());
        JsonNode e = body.get("endpoints").get(0);
        assertThat(e.get("id").asText()).isEqualTo("127.0.1.4_8080");
        assertThat(e.get("state").asText()).isEqualTo("UP");
        assertThat(e.get("weight").asInt()).isEqualTo(2);
        assertThat(e.get("version").asText()).isEqualTo("v1");
        assertThat(e.get("metadata").get("zone").asText()).isEqualTo("a");
        assertThat(e.get("registeredBy").asText()).isEqualTo("API");
        assertThat(json(http.get("/v1/namespaces/default/services"))
                        .get("services")
                        .get(0)
                        .get("name")
                        .asText())
                .isEqualTo("api");

        assertThat(http.put(API + "/127.0.1.4_8080/heartbeat", "").statusCode()).isEqualTo(200);
        assertThat(http.delete(API + "/127.0.1.4_8080").statusCode()).isEqualTo(200);
        assertThat(json(http.get(API)).get("endpoints")).isEmpty();
        assertThat(http.delete(API + "/127.0.1.4_8080").statusCode()).isEqualTo(404);
    }

    @Test
    void namespacesAreCreatedAndListed() throws Exception {
        Http http = wharf.http();
        assertThat(http.post("/v1/namespaces", "{\"name\":\"prod\"}").statusCode())
                .isEqualTo(201);
        assertThat(http.post("/v1/namespaces", "{\"name\":\"prod\"}").statusCode())
                .isEqualTo(409);
        assertThat(json(http.get("/v1/namespaces")).get("namespaces").findValuesAsText("name"))
                .containsExactly("default", "prod");
        assertThat(http.put("/v1/namespaces/prod/services/pay/endpoints/127.0.1.9_9000", "{}")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    @DisplayName("every bad input gets a 4xx problem+json naming the field and the reason")
    void badInput() throws Exception {
        Http http = wharf.http();
        assertProblem(http.put("/v1/namespaces/ghost/services/api/endpoints/127.0.1.4_8080", "{}"), 404, null);
        assertProblem(http.put(API + "/127.0.1.4-8080", "{}"), 400, "ip_port");
        assertProblem(http.put(API + "/127.0.1.4_70000", "{}"), 400, "port");
        assertProblem(http.put(API + "/127.0.1.4_0", "{}"), 400, "port");
        assertProblem(http.put(API + "/300.0.1.4_80", "{}"), 400, "ip");
        assertProblem(http.put(API + "/127.0.1.4_80", "{\"weight\":-1}"), 400, "weight");
        assertProblem(http.put(API + "/127.0.1.4_80", "{\"weight\":\"heavy\"}"), 400, "weight");
        assertProblem(http.put(API + "/127.0.1.4_80", "{\"ttl\":\"forever\"}"), 400, "ttl");
        assertProblem(http.put(API + "/127.0.1.4_80", "{\"state\":\"SLEEPING\"}"), 400, "state");
        assertProblem(http.put(API + "/127.0.1.4_80", "{\"colour\":\"red\"}"), 400, "colour");
        assertProblem(http.put(API + "/127.0.1.4_80", "{\"metadata\":{\"a\":null}}"), 400, "metadata.a");
        assertProblem(http.put(API + "/127.0.1.4_80", "{\"version\":"), 400, "body");
        assertProblem(http.put(API + "/127.0.1.4_80", "{\"ttl\":\"1s\",\"lease\":\"l-1\"}"), 400, "lease");
        assertProblem(http.put(API + "/127.0.1.4_80", "{\"lease\":\"l-none\"}"), 404, null);
        assertProblem(
                http.put("/v1/namespaces/default/services/Bad_Name/endpoints/127.0.1.4_80", "{}"), 400, "service");
        assertProblem(http.put(API + "/127.0.1.4_80", "{\"version\":\"" + "x".repeat(70_000) + "\"}"), 413, "body");
        assertProblem(http.post("/v1/namespaces", "{}"), 400, "name");
        assertProblem(http.post("/v1/namespaces", "{\"name\":\"Not A Name\"}"), 400, "name");
        assertProblem(http.get(API + "?index=minus"), 400, "index");
        assertProblem(http.get(API + "?index=1&wait=11m"), 400, "wait");
        assertProblem(http.get("/v1/nothing-here"), 404, null);
        assertThat(json(http.get(API)).get("endpoints")).isEmpty();
        assertThat(json(http.get("/v1/namespaces/default/services")).get("services"))
                .isEmpty();
    }

    @Test
    @DisplayName("without a token only health and metrics answer; a wrong token is refused as unknown")
    void everythingButHealthNeedsAToken() throws Exception {
        Http anonymous = wharf.http().withoutToken();
        assertProblem(anonymous.put(API + "/127.0.1.4_8080", "{}"), 401, null);
        assertProblem(anonymous.put(API + "/127.0.1.4_8080/heartbeat", ""), 401, null);
        assertProblem(anonymous.delete(API + "/127.0.1.4_8080"), 401, null);
        assertProblem(anonymous.post("/v1/namespaces", "{\"name\":\"x\"}"), 401, null);
        assertProblem(anonymous.post("/v1/leases", "{}"), 401, null);
        assertProblem(anonymous.put("/v1/leases/l-1/heartbeat", ""), 401, null);
        assertProblem(anonymous.delete("/v1/leases/l-1"), 401, null);
        assertProblem(
                anonymous.put("/v1/namespaces/default/services/api/watchers/w/ack", "{\"revision\":1}"), 401, null);
        assertProblem(wharf.http().withToken("wrong").post("/v1/namespaces", "{\"name\":\"x\"}"), 401, null);
        assertProblem(anonymous.get(API), 401, null);
        assertProblem(anonymous.get("/v1/namespaces"), 401, null);
        assertThat(anonymous.get("/v1/health").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/metrics").statusCode()).isEqualTo(200);
    }

    static void assertProblem(HttpResponse<String> r, int status, String field) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode body = json(r);
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("detail").asText()).isNotBlank();
        if (field != null) {
            assertThat(body.path("field").asText()).as(r.body()).isEqualTo(field);
            assertThat(body.path("reason").asText()).as(r.body()).isNotBlank();
        }
    }

    @Test
    @DisplayName("a long-poll returns as soon as the service passes the index, and at the wait otherwise")
    void longPoll() throws Exception {
        Http http = wharf.http();
        long r0 = json(http.get(API)).get("revision").asLong();
        CompletableFuture<HttpResponse<String>> poll =
                CompletableFuture.supplyAsync(() -> http.get(API + "?index=" + r0 + "&wait=30s&watcher=sdk-1"));
        org.awaitility.Awaitility.await().until(() -> json(http.get("/v1/namespaces/default/services/api/watchers"))
                .get("watchers")
                .findValuesAsText("id")
                .contains("sdk-1"));
        assertThat(poll).isNotDone();
        long r1 = json(http.put(API + "/127.0.1.4_8080", "{}")).get("revision").asLong();
        HttpResponse<String> answered = poll.get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(json(answered).get("revision").asLong()).isEqualTo(r1);
        assertThat(answered.headers().firstValue("X-Wharf-Revision")).contains(Long.toString(r1));

        long start = System.nanoTime();
        HttpResponse<String> timedOut = http.get(API + "?index=" + r1 + "&wait=300ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isBetween(Duration.ofMillis(280), Duration.ofSeconds(3));
        assertThat(json(timedOut).get("revision").asLong()).isEqualTo(r1);
    }

    @Test
    @DisplayName(
            "server-sent events: snapshot, then each change; a reconnect from Last-Event-ID misses and repeats nothing")
    void eventStream() throws Exception {
        Http http = wharf.http();
        http.put(API + "/127.0.1.1_80", "{}");
        long lastId;
        try (SseReader sse = new SseReader(http, API + "?watcher=lb-1")) {
            assertThat(sse.response().headers().firstValue("X-Wharf-Watcher")).contains("lb-1");
            SseReader.Event snapshot = sse.next();
            assertThat(snapshot.name()).isEqualTo("snapshot");
            assertThat(JSON.readTree(snapshot.data()).get("endpoints")).hasSize(1);
            http.put(API + "/127.0.1.2_80", "{}");
            SseReader.Event put = sse.next();
            assertThat(put.name()).isEqualTo("put");
            assertThat(JSON.readTree(put.data()).get("endpoint").get("id").asText())
                    .isEqualTo("127.0.1.2_80");
            lastId = Long.parseLong(put.id());
        }
        long removed = json(http.delete(API + "/127.0.1.1_80")).get("revision").asLong();
        http.put(API + "/127.0.1.3_80", "{}");
        try (SseReader sse = new SseReader(http, API + "?watcher=lb-1", "Last-Event-ID", Long.toString(lastId))) {
            SseReader.Event del = sse.next();
            assertThat(del.name()).isEqualTo("delete");
            assertThat(Long.parseLong(del.id())).isEqualTo(removed);
            assertThat(JSON.readTree(del.data()).get("id").asText()).isEqualTo("127.0.1.1_80");
            SseReader.Event add = sse.next();
            assertThat(add.name()).isEqualTo("put");
            SseReader.Event next = sse.poll(500);
            assertThat(next == null || next.name().equals("eof"))
                    .as("no further event: %s", next)
                    .isTrue();
        }
    }

    @Test
    @DisplayName("watchers acknowledge revisions; the server lists those that have not")
    void acknowledgements() throws Exception {
        Http http = wharf.http();
        try (SseReader a = new SseReader(http, API + "?watcher=lb-a&acknowledge=true");
                SseReader b = new SseReader(http, API + "?watcher=lb-b&acknowledge=true");
                SseReader c = new SseReader(http, API + "?watcher=curl")) {
            a.next();
            b.next();
            c.next(); // did not say it acknowledges: listed, never waited for
            long r = json(http.put(API + "/127.0.1.1_80", "{}")).get("revision").asLong();
            JsonNode before = json(http.get("/v1/namespaces/default/services/api/watchers?revision=" + r));
            assertThat(before.get("pending").findValuesAsText("")).isEmpty();
            assertThat(JSON.convertValue(before.get("pending"), String[].class)).containsExactly("lb-a", "lb-b");
            assertThat(http.put("/v1/namespaces/default/services/api/watchers/lb-a/ack", "{\"revision\":" + r + "}")
                            .statusCode())
                    .isEqualTo(204);
            JsonNode after = json(http.get("/v1/namespaces/default/services/api/watchers?revision=" + r));
            assertThat(JSON.convertValue(after.get("pending"), String[].class)).containsExactly("lb-b");
            assertProblem(
                    http.put("/v1/namespaces/default/services/api/watchers/lb-a/ack", "{\"revision\":-3}"),
                    400,
                    "revision");
            assertProblem(
                    http.put("/v1/namespaces/default/services/api/watchers/nobody/ack", "{\"revision\":1}"), 404, null);
        }
    }

    @Test
    @DisplayName("a stream its client closed is noticed at a keep-alive and dropped after the grace period")
    void closedStreamsAreDropped() throws Exception {
        Http http = wharf.http();
        try (SseReader gone = new SseReader(http, API + "?watcher=gone&acknowledge=true")) {
            gone.next();
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !json(http.get(
                        "/v1/namespaces/default/services/api/watchers"))
                .get("watchers")
                .findValuesAsText("id")
                .contains("gone"));
    }

    @Test
    @DisplayName("a watcher that falls behind gets a resync event and is cut off; another watcher gets every change")
    void slowWatcherGetsResync() throws Exception {
        Http http = wharf.http();
        long r0 = json(http.get(API)).get("revision").asLong();

        // a client that never reads: its socket and then its 8-event buffer fill up
        java.net.URI base = java.net.URI.create(http.base());
        java.net.Socket stalled = new java.net.Socket();
        stalled.setReceiveBufferSize(4096);
        stalled.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()));
        stalled.getOutputStream()
                .write(("GET " + API + "?watcher=stalled HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n"
                                + "Authorization: Bearer "
                                + wharf.server().adminToken().token() + "\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        org.awaitility.Awaitility.await().until(() -> json(http.get("/v1/namespaces/default/services/api/watchers"))
                .get("watchers")
                .findValuesAsText("id")
                .contains("stalled"));
        try (SseReader healthy = new SseReader(http, API + "?watcher=healthy")) {
            healthy.next();
            // events of about 8 KiB each: as much metadata as an endpoint may carry
            StringBuilder pad = new StringBuilder();
            for (int k = 0; k < 32; k++)
                pad.append(k == 0 ? "" : ",")
                        .append("\"k")
                        .append(k)
                        .append("\":\"")
                        .append("m".repeat(250))
                        .append('"');
            int changes = 600;
            for (int i = 0; i < changes; i++) {
                // a long lease: leases lapsing on a busy machine would add deletes to the changes; a version of its
                // own, so that each registration is a change (one that changes nothing makes no event)
                http.put(
                        API + "/127.0.1." + (i % 250 + 1) + "_80",
                        "{\"ttl\":\"1h\",\"version\":\"v" + i + "\",\"metadata\":{" + pad + "}}");
            }
            int got = 0;
            while (got < changes) {
                SseReader.Event e = healthy.next();
                assertThat(e.name()).isEqualTo("put");
                got++;
            }
            assertThat(got).isEqualTo(changes);
        }
        String metrics = http.get("/metrics").body();
        assertThat(metrics).contains("wharf_registry_watchers_cut_off_total 1.0");
        stalled.close();
        assertThat(r0).isNotNegative();
    }

    @Test
    @DisplayName("1,000 streams of one service each get every change, in order, from the server's few writer threads")
    void aThousandStreamsGetEveryChange() throws Exception {
        Http http = wharf.http();
        int streams = 1_000;
        int changes = 20;
        List<SseReader> readers = new ArrayList<>();
        try {
            for (int w = 0; w < streams; w++) {
                SseReader r = new SseReader(http, API + "?watcher=many-" + w);
                readers.add(r);
                assertThat(r.next().name()).isEqualTo("snapshot");
            }
            List<Long> revisions = new ArrayList<>();
            for (int i = 0; i < changes; i++) {
                revisions.add(Long.parseLong(http.put(API + "/127.0.1." + (i + 1) + "_80", "{\"ttl\":\"1h\"}")
                        .headers()
                        .firstValue("X-Wharf-Revision")
                        .orElseThrow()));
            }
            for (SseReader r : readers) {
                List<Long> seen = new ArrayList<>();
                while (seen.size() < changes) {
                    SseReader.Event e = r.next();
                    assertThat(e.name()).isEqualTo("put");
                    seen.add(Long.parseLong(e.id()));
                }
                assertThat(seen).isEqualTo(revisions);
            }
        } finally {
            readers.forEach(SseReader::close);
        }
        assertThat(http.get("/metrics").body()).contains("wharf_registry_watchers_cut_off_total 0.0");
    }

    @Test
    @DisplayName("a restarted server keeps namespaces and services")
    void restartKeepsNamespacesAndServices() throws Exception {
        Http http = wharf.http();
        http.post("/v1/namespaces", "{\"name\":\"prod\"}");
        http.put("/v1/namespaces/prod/services/pay/endpoints/127.0.1.9_9000", "{}");
        wharf.stop();
        wharf.start();
        http = wharf.http();
        assertThat(json(http.get("/v1/namespaces")).get("namespaces").findValuesAsText("name"))
                .containsExactly("default", "prod");
        assertThat(json(http.get("/v1/namespaces/prod/services"))
                        .get("services")
                        .findValuesAsText("name"))
                .containsExactly("pay");
    }

    @Test
    void metricsAreExposedInPrometheusFormat() {
        Http http = wharf.http();
        http.put(API + "/127.0.1.1_80", "{}");
        http.put(API + "/127.0.1.2_80", "{\"state\":\"DRAINING\"}");
        String body = http.get("/metrics").body();
        assertThat(body)
                .contains("wharf_registry_endpoints{state=\"UP\"} 1.0")
                .contains("wharf_registry_endpoints{state=\"DRAINING\"} 1.0")
                .contains("wharf_registry_revision ")
                .contains("wharf_registry_watchers{kind=\"stream\"}")
                .contains("wharf_registry_push_latency_seconds_bucket");
    }
}
