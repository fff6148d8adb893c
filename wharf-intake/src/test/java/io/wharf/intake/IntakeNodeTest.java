package io.wharf.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.intake.log.EmbeddedLog;
import io.wharf.intake.log.IntakeLog;
import io.wharf.store.jdbc.JdbcStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an intake instance answers before anything is ordered: refusals, and a log that cannot take more. */
class IntakeNodeTest {
    @TempDir
    Path dir;

    /** A log that refuses appends while {@code down}, as a broker that is away does. */
    static final class Flaky extends IntakePipelineTest.Delegating {
        final AtomicBoolean down = new AtomicBoolean();

        Flaky(IntakeLog log) {
            super(log);
        }

        @Override
        public CompletableFuture<Long> append(String partition, byte[] record) {
            return down.get()
                    ? CompletableFuture.failedFuture(new IOException("the log is away"))
                    : log.append(partition, record);
        }
    }

    @Test
    @DisplayName("002.3 a log that cannot take a request gets its client a 503 with Retry-After, nothing"
            + " acknowledged; a body too large is a 413, a stamp that does not parse a 400 naming the header")
    void refusals() throws Exception {
        try (JdbcStore store = JdbcStore.openEmbedded(dir.resolve("store"));
                Flaky log = new Flaky(EmbeddedLog.open(dir.resolve("log")));
                Results results = new Results(store.intakeResults());
                IntakeNode node = IntakeNode.start(
                        new IntakeNode.Settings(
                                "shop",
                                "a",
                                Duration.ofSeconds(2),
                                Duration.ofMillis(100),
                                IntakeNode.ORDER_KEY,
                                Duration.ofMillis(200)),
                        log,
                        results,
                        () -> System.currentTimeMillis() * 1000,
                        new InetSocketAddress("127.0.54.1", 0))) {
            HttpClient http = HttpClient.newHttpClient();
            URI sale = URI.create("http://127.0.54.1:" + node.address().getPort() + "/sale");

            log.down.set(true);
            HttpResponse<String> away = http.send(
                    HttpRequest.newBuilder(sale)
                            .POST(HttpRequest.BodyPublishers.ofString("{}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(away.statusCode()).isEqualTo(503);
            assertThat(away.headers().firstValue("Retry-After")).contains("1");
            assertThat(away.headers().firstValue("Wharf-Request-Id")).isEmpty();
            assertThat(log.read("in.shop.a", 0, 10_000, Duration.ZERO))
                    .noneMatch(r -> IntakeRecord.decode(r.bytes()) instanceof IntakeRecord.Request);

            // back: taken, acknowledged with its id (nobody orders it here: a 202 once the time-out passes)
            log.down.set(false);
            HttpResponse<String> taken = http.send(
                    HttpRequest.newBuilder(sale)
                            .POST(HttpRequest.BodyPublishers.ofString("{}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(taken.statusCode()).isEqualTo(202);
            assertThat(taken.headers().firstValue("Location"))
                    .hasValueSatisfying(l -> assertThat(l).startsWith("/results/a-"));

            HttpResponse<String> large = http.send(
                    HttpRequest.newBuilder(sale)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[IntakeNode.MAX_BODY + 1]))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(large.statusCode()).isEqualTo(413);

            HttpResponse<String> unparsable = http.send(
                    HttpRequest.newBuilder(sale)
                            .header("Wharf-Sent-At", "12:00")
                            .POST(HttpRequest.BodyPublishers.ofString("{}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(unparsable.statusCode()).isEqualTo(400);
            assertThat(unparsable.body()).contains("\"field\":\"Wharf-Sent-At\"");
            assertThat(unparsable.headers().firstValue("Content-Type")).contains("application/problem+json");

            HttpResponse<String> none = http.send(
                    HttpRequest.newBuilder(URI.create(
                                    "http://127.0.54.1:" + node.address().getPort() + "/results/a-0-0000"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(none.statusCode()).isEqualTo(404);
        }
    }
}
