package io.wharf.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.wharf.core.registry.ServiceKey;
import io.wharf.core.spec.IntakeSpec;
import io.wharf.intake.log.IntakeLog;
import io.wharf.intake.log.IntakeLogs;
import io.wharf.store.jdbc.JdbcStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An intake over a broker of its own, killed with {@code kill -9} and started again in the middle of a burst.
 */
abstract class BrokerRestartContract {
    @TempDir
    Path dir;

    int port;
    Process broker;

    /** The broker's address, as an intake's {@code backend}. */
    abstract String backend();

    /** Starts the broker on {@code port}, keeping its files in {@code dir}: the same broker as before, if any. */
    abstract Process start() throws IOException;

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    void startBroker() throws IOException {
        broker = start();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** {@code kill -9} of the broker and of every process it started. */
    void killBroker() throws InterruptedException {
        if (broker == null) return;
        List<ProcessHandle> all = new ArrayList<>(broker.descendants().toList());
        all.add(broker.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : all) p.onExit().join();
    }

    @AfterEach
    void stopBroker() throws InterruptedException {
        killBroker();
    }

    @Test
    @DisplayName("002.3 the broker killed -9 and started again mid-burst: while it is away the intake answers 503"
            + " with Retry-After; every request it acknowledged before, during and after is applied once")
    void brokerRestarted() throws Exception {
        port = freePort();
        startBroker();
        Map<String, Integer> applied = new ConcurrentHashMap<>();
        HttpServer shop = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        shop.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        shop.createContext("/", x -> {
            try (x) {
                applied.merge(x.getRequestHeaders().getFirst("Wharf-Request-Id"), 1, Integer::sum);
                x.sendResponseHeaders(200, -1);
            }
        });
        shop.start();
        IntakeSpec spec = IntakeSpec.of(Map.of("port", freePort(), "backend", backend()));
        try (JdbcStore store = JdbcStore.open("jdbc:h2:mem:restart;DB_CLOSE_DELAY=-1");
                IntakeLog log = IntakeLogs.open(spec.backend(), "wharf");
                IntakeInstance intake = IntakeInstance.start(
                        new IntakeInstance.Settings(
                                new ServiceKey("default", "shop"),
                                "a",
                                spec,
                                "127.0.0.1",
                                Optional.empty(),
                                Duration.ofSeconds(2)),
                        log,
                        store.intakeResults(),
                        () -> List.of("127.0.0.1:" + shop.getAddress().getPort()),
                        IntakePipelineTest::nowMicros)) {
            HttpClient http = HttpClient.newBuilder()
                    .executor(Executors.newVirtualThreadPerTaskExecutor())
                    .build();
            URI buy = URI.create("http://127.0.0.1:" + spec.port() + "/buy");
            List<String> acknowledged = new ArrayList<>();
            Map<String, Integer> answers = new ConcurrentHashMap<>();
            List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
            boolean refusedWhileDown = false;
            for (int i = 0; i < 1500; i++) {
                if (i == 300) killBroker();
                if (i == 700) {
                    // away for a while: the intake refuses, telling clients when to come back
                    refusedWhileDown = answers.getOrDefault("503", 0) > 0;
                    startBroker();
                }
                sent.add(http.sendAsync(
                        HttpRequest.newBuilder(buy)
                                .header("Prefer", "respond-async")
                                .header("Wharf-Order-Key", "k" + (i % 10))
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()));
                sent.getLast().thenAccept(r -> {
                    answers.merge(Integer.toString(r.statusCode()), 1, Integer::sum);
                    if (r.statusCode() == 503)
                        assertThat(r.headers().firstValue("Retry-After")).contains("1");
                });
                Thread.sleep(3);
            }
            for (var f : sent) {
                HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
                assertThat(r.statusCode()).as(r.body()).isIn(202, 503);
                if (r.statusCode() == 202)
                    acknowledged.add(r.headers().firstValue("Wharf-Request-Id").orElseThrow());
            }
            assertThat(refusedWhileDown).as("answers: %s", answers).isTrue();
            // before the kill and after the restart, requests were taken
            assertThat(acknowledged).hasSizeGreaterThan(600);
            Set<String> ack = Set.copyOf(acknowledged);
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(applied.keySet()).containsAll(ack));
            assertThat(ack).allSatisfy(id -> assertThat(applied.get(id)).isEqualTo(1));
            assertThat(ack)
                    .allSatisfy(id -> assertThat(store.intakeResults().get(id)).isPresent());
        } finally {
            shop.stop(0);
        }
    }
}
