package io.wharf.client.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.wharf.client.wire.ResponseTimeSummary;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ResponseTimesTest {
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final ResponseTimes times = new ResponseTimes(nanos::get);

    void request(String name, long millis, boolean fail) {
        try (ResponseTimes.Timing t = times.start(name)) {
            nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
            if (fail) t.failed();
        }
    }

    @Test
    @DisplayName("each name's percentiles and failures over the last ten seconds; older requests leave the window")
    void summaryOverTheWindow() {
        for (int i = 1; i <= 100; i++) request("orders", i, i % 10 == 0);
        request("stock", 3, false);
        Map<String, ResponseTimeSummary> s = times.summary();
        assertThat(s).containsOnlyKeys("orders", "stock");
        ResponseTimeSummary orders = s.get("orders");
        assertThat(orders.count()).isEqualTo(100);
        assertThat(orders.errors()).isEqualTo(10);
        // two significant digits: within 1 %
        assertThat(orders.p50Micros()).isBetween(49_500L, 50_500L);
        assertThat(orders.p99Micros()).isBetween(98_000L, 100_000L);
        assertThat(orders.maxMicros()).isBetween(99_500L, 100_500L);

        nanos.addAndGet(TimeUnit.SECONDS.toNanos(5));
        request("orders", 200, false);
        assertThat(times.summary().get("orders").count()).isEqualTo(101);
        // ten seconds on, only the 200 ms request is in the window
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(6));
        ResponseTimeSummary later = times.summary().get("orders");
        assertThat(later.count()).isEqualTo(1);
        assertThat(later.errors()).isZero();
        assertThat(later.p50Micros()).isBetween(199_000L, 201_000L);
        assertThat(times.summary()).doesNotContainKey("stock");
    }

    @Test
    @DisplayName("time() records a call that throws as failed and passes the exception on")
    void timedCallable() throws Exception {
        assertThat(times.time("x", () -> 42)).isEqualTo(42);
        assertThatThrownBy(() -> times.time("x", () -> {
                    throw new IOException("down");
                }))
                .hasMessage("down");
        ResponseTimeSummary x = times.summary().get("x");
        assertThat(x.count()).isEqualTo(2);
        assertThat(x.errors()).isEqualTo(1);
    }

    @Test
    @DisplayName("a wrapped HTTP handler is timed; a 5xx answer counts as failed")
    void httpHandler() throws Exception {
        ResponseTimes real = new ResponseTimes();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", real.handler("root", exchange -> {
            int status = exchange.getRequestURI().getPath().equals("/fail") ? 503 : 200;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        }));
        server.start();
        try {
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            for (String path : new String[] {"/a", "/b", "/fail"}) {
                http.send(
                        HttpRequest.newBuilder(URI.create(base + path)).build(),
                        HttpResponse.BodyHandlers.discarding());
            }
            // the last timing ends when its handler returns, which may be just after its client had the answer
            ResponseTimeSummary root = await().atMost(Duration.ofSeconds(10))
                    .until(() -> real.summary().get("root"), r -> r != null && r.count() == 3);
            assertThat(root.errors()).isEqualTo(1);
        } finally {
            server.stop(0);
        }
    }
}
