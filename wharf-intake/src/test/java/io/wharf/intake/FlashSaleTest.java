package io.wharf.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.wharf.core.registry.ServiceKey;
import io.wharf.intake.log.EmbeddedLog;
import io.wharf.intake.log.IntakeLog;
import io.wharf.store.jdbc.JdbcStore;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flash sale through the embedded intake, in one process: 100 items, 1,000 buyers over two seconds whose
 * requests reach two intake instances after a random delay of 0–150 ms (and what the HTTP client adds); the shop
 * behind them sells to whoever it is handed first.
 */
class FlashSaleTest {
    /**
     * Wider than the 0–150 ms the test delays requests by: the HTTP client driving the intakes adds its own
     * delay, hundreds of milliseconds on a busy machine (the 250 ms default is shown without HTTP, by
     * IntakePipelineTest and ReorderBufferTest).
     */
    static final Duration SKEW = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) closing.get(i).close();
        closing.clear();
    }

    /** The log the sale runs on. */
    IntakeLog open() throws Exception {
        return EmbeddedLog.open(dir.resolve("log"));
    }

    static long nowMicros() {
        return IntakePipelineTest.nowMicros();
    }

    /** The shop: 100 items, sold one per request, the winners' request ids kept. */
    static final class Shop {
        final AtomicInteger stock = new AtomicInteger(100);
        final Map<String, Boolean> sold = new ConcurrentHashMap<>();
        HttpServer server;

        Shop start() throws Exception {
            server = HttpServer.create(new InetSocketAddress("127.0.54.2", 0), 1024);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/buy", x -> {
                try (x) {
                    x.getRequestBody().readAllBytes();
                    String id = x.getRequestHeaders().getFirst("Wharf-Request-Id");
                    boolean won = stock.getAndUpdate(s -> Math.max(0, s - 1)) > 0;
                    sold.put(id, won);
                    byte[] body = ("{\"won\":" + won + "}").getBytes(StandardCharsets.UTF_8);
                    x.getResponseHeaders().set("Content-Type", "application/json");
                    x.sendResponseHeaders(200, body.length);
                    x.getResponseBody().write(body);
                }
            });
            server.start();
            return this;
        }

        String endpoint() {
            return "127.0.54.2:" + server.getAddress().getPort();
        }
    }

    record Bought(String id, long sentMicros, boolean won, boolean late, int status, String timing) {}

    @Test
    @DisplayName("002.2–002.6 the 100 winners of a flash sale are the first 100 by send time, not by arrival; a"
            + " forged early stamp does not win; every result is stored with its times")
    void firstSentFirstServed() throws Exception {
        JdbcStore store = JdbcStore.openEmbedded(dir.resolve("store"));
        closing.add(store);
        IntakeLog logs = open();
        closing.add(logs);
        Shop shop = new Shop().start();
        closing.add(() -> shop.server.stop(0));
        Results results = new Results(store.intakeResults());
        closing.add(results);
        ServiceKey key = new ServiceKey("default", "shop");
        closing.add(Sequencer.start(logs, "shop", SKEW, Duration.ofSeconds(2), FlashSaleTest::nowMicros));
        closing.add(Dispatcher.start(
                logs,
                "shop",
                16,
                10_000,
                new ServiceCaller(
                        key,
                        () -> List.of(shop.endpoint()),
                        results,
                        Duration.ofSeconds(10),
                        FlashSaleTest::nowMicros,
                        ServiceCaller.Replies.SAME_PROCESS)));
        List<IntakeNode> intakes = new ArrayList<>();
        for (String name : List.of("a", "b")) {
            IntakeNode n = IntakeNode.start(
                    new IntakeNode.Settings(
                            "shop",
                            name,
                            Duration.ofSeconds(2),
                            Duration.ofMillis(100),
                            IntakeNode.ORDER_KEY,
                            Duration.ofSeconds(30)),
                    logs,
                    results,
                    FlashSaleTest::nowMicros,
                    new InetSocketAddress("127.0.54.1", 0));
            closing.add(n);
            intakes.add(n);
        }
        HttpClient http = HttpClient.newBuilder()
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
        Random random = new Random(11);
        List<CompletableFuture<Bought>> buyers = new ArrayList<>();
        long saleStart = nowMicros();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 1000; i++) {
                long startsAfter = random.nextInt(2000); // buyers over the first two seconds
                long delay = random.nextInt(151); // their network (the HTTP client adds its own, tens of ms)
                IntakeNode to = intakes.get(random.nextInt(intakes.size()));
                CompletableFuture<Bought> bought = new CompletableFuture<>();
                buyers.add(bought);
                pool.submit(() -> {
                    Thread.sleep(startsAfter);
                    long sent = nowMicros();
                    Thread.sleep(delay);
                    buy(http, to, Long.toString(sent))
                            .thenCompose(accepted -> result(http, to, accepted))
                            .whenComplete((r, e) -> {
                                if (e != null) bought.completeExceptionally(e);
                                else bought.complete(bought(r, sent));
                            });
                    return null;
                });
            }
            // once every buyer has sent, one claims to have sent at the very start
            Thread.sleep(3500);
            long forgedAt = nowMicros();
            HttpResponse<String> forged = buy(http, intakes.get(0), Long.toString(saleStart))
                    .thenCompose(accepted -> result(http, intakes.get(0), accepted))
                    .get(60, TimeUnit.SECONDS);
            assertThat(forged.statusCode()).isEqualTo(200);
            assertThat(forged.body()).isEqualTo("{\"won\":false}");
            assertThat(forged.headers().firstValue("Wharf-Stamp")).contains("clamped_early");
            assertThat(Long.parseLong(
                            forged.headers().firstValue("Wharf-Sent-At").orElseThrow()))
                    .isGreaterThanOrEqualTo(forgedAt - 2_000_000);
        }
        List<Bought> all = new ArrayList<>();
        for (var b : buyers) all.add(b.get(60, TimeUnit.SECONDS));
        assertThat(all).allMatch(b -> b.status() == 200);
        List<Bought> won = all.stream().filter(Bought::won).toList();
        assertThat(won).hasSize(100);
        // fair: every winner was sent before every buyer who lost, but for requests that came late
        long lastWinner = won.stream()
                .filter(b -> !b.late())
                .mapToLong(Bought::sentMicros)
                .max()
                .orElseThrow();
        List<Bought> overtaken = all.stream()
                .filter(b -> !b.won() && !b.late() && b.sentMicros() < lastWinner)
                .toList();
        assertThat(overtaken).isEmpty();
        // the order mattered: by arrival, other buyers would have won
        List<String> firstArrived = all.stream()
                .sorted(java.util.Comparator.comparingLong(
                        b -> store.intakeResults().get(b.id()).orElseThrow().arrivedMicros()))
                .limit(100)
                .map(Bought::id)
                .toList();
        assertThat(won.stream().map(Bought::id).toList()).isNotEqualTo(firstArrived);
        // and the buffer did the re-ordering: requests in time (not late) that arrived after one sent later than
        // them (with a skew of 0 every such request would be late)
        List<Long> arrivalsBySend = all.stream()
                .filter(b -> !b.late())
                .sorted(java.util.Comparator.comparingLong(Bought::sentMicros))
                .map(b -> store.intakeResults().get(b.id()).orElseThrow().arrivedMicros())
                .toList();
        assertThat(arrivalsBySend)
                .isNotEmpty()
                .isNotEqualTo(arrivalsBySend.stream().sorted().toList());
        // every result stored, with the times it passed, in that order
        var stored = store.intakeResults().get(won.get(0).id()).orElseThrow();
        assertThat(stored.sentMicros()).isLessThanOrEqualTo(stored.arrivedMicros());
        assertThat(stored.arrivedMicros()).isLessThanOrEqualTo(stored.orderedMicros());
        assertThat(stored.orderedMicros()).isLessThanOrEqualTo(stored.dispatchedMicros());
        assertThat(stored.dispatchedMicros()).isLessThanOrEqualTo(stored.startedMicros());
        assertThat(stored.startedMicros()).isLessThanOrEqualTo(stored.endedMicros());
        // and each answer says how long its stages took, as the stored times have them
        for (Bought b : all) {
            var r = store.intakeResults().get(b.id()).orElseThrow();
            Map<String, Double> stages = new HashMap<>();
            for (String part : b.timing().split(", ")) {
                String[] nameDur = part.split(";dur=");
                stages.put(nameDur[0], Double.parseDouble(nameDur[1]));
            }
            assertThat(stages).as(b.timing()).containsOnlyKeys("order", "dispatch", "service", "result");
            assertThat(stages.get("order")).isCloseTo((r.orderedMicros() - r.arrivedMicros()) / 1000.0, within(0.1));
            assertThat(stages.get("dispatch"))
                    .isCloseTo((r.dispatchedMicros() - r.orderedMicros()) / 1000.0, within(0.1));
            assertThat(stages.get("service")).isCloseTo((r.endedMicros() - r.dispatchedMicros()) / 1000.0, within(0.1));
            assertThat(stages.get("result")).isGreaterThanOrEqualTo(0.0);
        }
    }

    static Bought bought(HttpResponse<String> r, long sent) {
        return new Bought(
                r.headers().firstValue("Wharf-Request-Id").orElse(""),
                sent,
                r.body().contains("\"won\":true"),
                r.headers().firstValue("Wharf-Late").isPresent(),
                r.statusCode(),
                r.headers().firstValue("Server-Timing").orElse(""));
    }

    /** The result an accepted request's {@code Location} gives, asked for until it is there. */
    static CompletableFuture<HttpResponse<String>> result(
            HttpClient http, IntakeNode at, HttpResponse<String> accepted) {
        if (accepted.statusCode() != 202) return CompletableFuture.completedFuture(accepted);
        URI location = URI.create("http://127.0.54.1:" + at.address().getPort()
                + accepted.headers().firstValue("Location").orElseThrow());
        return CompletableFuture.supplyAsync(
                () -> await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(50))
                        .until(
                                () -> http.send(
                                        HttpRequest.newBuilder(location).build(), HttpResponse.BodyHandlers.ofString()),
                                r -> r.statusCode() != 404),
                Executors.newVirtualThreadPerTaskExecutor());
    }

    static CompletableFuture<HttpResponse<String>> buy(HttpClient http, IntakeNode to, String sentAt) {
        return http.sendAsync(
                HttpRequest.newBuilder(
                                URI.create("http://127.0.54.1:" + to.address().getPort() + "/buy"))
                        .header("Wharf-Sent-At", sentAt)
                        .header(IntakeNode.ORDER_KEY, "sale")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"item\":\"ticket\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
