package io.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fair intake from a spec, in {@code wharf up}: the demo's {@code /sale} behind it, buyers whose requests
 * reach it after a random delay.
 */
class IntakeIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    @Test
    @DisplayName("002.2–002.6 examples/flash-sale: 1,000 buyers with random network delays, the 100 winners exactly"
            + " the first 100 by send time; a forged stamp loses; a stamp that does not parse is refused, named; a"
            + " result is kept under its id")
    void flashSale() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path example = Path.of("..", "examples", "flash-sale");
        try (WharfProcess wharf = new WharfProcess(data, "127.0.55.0/24").start()) {
            Path spec = data.resolve("shop.yaml");
            Files.writeString(
                    spec, Files.readString(example.resolve("shop.yaml")).replace("port: 18090", "port: " + port));
            var applied = wharf.cli("apply", "-f", spec.toString());
            assertThat(applied.exit()).as(applied.err()).isZero();
            HttpClient http = HttpClient.newBuilder()
                    .executor(Executors.newVirtualThreadPerTaskExecutor())
                    .build();
            URI sale = URI.create("http://127.0.0.1:" + port + "/sale");
            // the intake listens, and the shop's endpoint is registered
            awaitIntake(wharf, http, port);

            HttpResponse<String> refused = http.send(
                    HttpRequest.newBuilder(sale)
                            .header("Wharf-Sent-At", "yesterday")
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(refused.body()).path("field").asText()).isEqualTo("Wharf-Sent-At");

            Path out = data.resolve("buyers.out");
            Process buyers = new ProcessBuilder(
                            WharfProcess.JAVA,
                            example.resolve("Buyers.java").toString(),
                            "http://127.0.0.1:" + port,
                            "1000",
                            "4")
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            assertThat(buyers.waitFor(5, TimeUnit.MINUTES)).isTrue();
            String said = Files.readString(out);
            assertThat(buyers.exitValue()).as(said).isZero();
            assertThat(said)
                    .contains(
                            "buyers 1000, answered 1000, failed 0", "winners 100", "forged early stamp: lost", "fair");
            // with no request late (a busy machine can delay a buyer past the skew), exactly the first 100
            if (said.contains("late 0;")) assertThat(said).contains("winners are the first 100 by send time: yes");

            // a result is kept under its id, for clients that stopped waiting
            HttpResponse<String> taken = http.send(
                    HttpRequest.newBuilder(sale)
                            .header("Prefer", "respond-async")
                            .POST(HttpRequest.BodyPublishers.ofString("{}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(taken.statusCode()).isEqualTo(202);
            HttpResponse<String> kept = answered(http, port, taken);
            assertThat(JSON.readTree(kept.body()).path("won").asBoolean()).isFalse();

            // 1,000 buyers, the forger and the last one
            var described = wharf.cli("describe", "intake", "shop");
            assertThat(described.exit()).as(described.err()).isZero();
            assertThat(described.out()).contains("intake of default/shop at 127.0.0.1:" + port, "handled 1002");
            assertThat(wharf.http().get("/metrics").body())
                    .contains("wharf_intake_dispatched_total{namespace=\"default\",service=\"shop\"} 1002.0");
        }
    }

    /**
     * The answer with the result: {@code r} itself, or, if the intake accepted the request and stopped holding
     * the client (202, a busy machine), its {@code Location} asked until the result is there.
     */
    static HttpResponse<String> answered(HttpClient http, int port, HttpResponse<String> r) {
        if (r.statusCode() != 202) return r;
        URI location = URI.create(
                "http://127.0.0.1:" + port + r.headers().firstValue("Location").orElseThrow());
        return await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> http.send(HttpRequest.newBuilder(location).build(), HttpResponse.BodyHandlers.ofString()),
                        x -> x.statusCode() != 404);
    }

    @Test
    @DisplayName("002.3 002.6 the platform killed (kill -9) mid-burst: every request its intake acknowledged is"
            + " processed once after the restart, its result kept under its id")
    void acknowledgedSurvivesKill() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (WharfProcess wharf = new WharfProcess(data, "127.0.56.0/24").start()) {
            Path spec = data.resolve("shop.yaml");
            Files.writeString(
                    spec,
                    "name: shop\nimage: demo:v1\nreplicas: 1\nports: [{port: 8080}]\nhealth: {path: /health}\n"
                            + "env: {DEMO_STOCK: \"50\"}\nintake: {port: " + port + "}\n");
            assertThat(wharf.cli("apply", "-f", spec.toString()).exit()).isZero();
            HttpClient http = HttpClient.newBuilder()
                    .executor(Executors.newVirtualThreadPerTaskExecutor())
                    .build();
            URI sale = URI.create("http://127.0.0.1:" + port + "/sale");
            awaitIntake(wharf, http, port);
            List<String> acknowledged = java.util.Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<Void> burst = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 100_000; i++) {
                    try {
                        HttpResponse<String> r = http.send(
                                HttpRequest.newBuilder(sale)
                                        .header("Wharf-Order-Key", "sale")
                                        .header("Prefer", "respond-async")
                                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 202 || r.statusCode() == 200) {
                            acknowledged.add(
                                    r.headers().firstValue("Wharf-Request-Id").orElseThrow());
                        }
                    } catch (java.io.IOException e) {
                        return; // the platform is gone
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 200);
            wharf.kill();
            burst.get(60, TimeUnit.SECONDS);
            wharf.start();
            awaitIntake(wharf, http, port);
            for (String id : List.copyOf(acknowledged)) {
                URI result = URI.create("http://127.0.0.1:" + port + "/results/" + id);
                await().atMost(Duration.ofSeconds(60))
                        .until(() ->
                                http.send(HttpRequest.newBuilder(result).build(), HttpResponse.BodyHandlers.ofString())
                                                .statusCode()
                                        == 200);
            }
            // the shop saw every acknowledged request, sold its 50 items once each
            JsonNode container = JSON.readTree(
                    wharf.http().get("/v1/containers/default.shop.0").body());
            JsonNode sold = JSON.readTree(http.send(
                            HttpRequest.newBuilder(URI.create(
                                            "http://" + container.path("ip").asText() + ":8080/sale/sold"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            assertThat(sold.path("requests").asInt()).isGreaterThanOrEqualTo(acknowledged.size());
            assertThat(sold.path("won").asInt()).isEqualTo(50);
        }
    }

    /** Waits until the intake on {@code port} listens and the shop's endpoint is registered. */
    static void awaitIntake(WharfProcess wharf, HttpClient http, int port) {
        await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> http.send(
                                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/results/none"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode()
                        == 404);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> JSON.readTree(wharf.http()
                                        .get("/v1/namespaces/default/services/shop/endpoints")
                                        .body())
                                .path("endpoints")
                                .size()
                        == 1);
    }
}
