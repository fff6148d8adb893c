package io.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.wharf.store.ExternalDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Intake instances run as a Wharf service (claim 002.3: any number of them behind the load balancer): the
 * service's image is Wharf's own jar started as {@code wharf intake}, each container taking its name and address
 * from its environment; the load balancer spreads clients over them; one elected through ZooKeeper orders and
 * dispatches; results in MariaDB.
 */
class IntakeServiceIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String REDIS = "redis://127.0.0.1:6379";

    @TempDir
    Path data;

    final String namespace = "s" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    final String prefix = "wharf-test-" + namespace;

    @AfterEach
    void dropKeys() {
        RedisClient client = RedisClient.create(REDIS);
        try (var c = client.connect()) {
            List<String> keys = c.sync().keys(prefix + ":*");
            if (!keys.isEmpty()) c.sync().del(keys.toArray(String[]::new));
        } finally {
            client.shutdown();
        }
    }

    @Test
    @DisplayName("002.3 intake instances as a Wharf service: two containers of wharf intake behind the load"
            + " balancer, both taking clients' requests; every request answered with the shop's result, applied"
            + " once")
    void intakesAsAService() throws Exception {
        InstanceSpec zkSpec = new InstanceSpec(
                data.resolve("zk").toFile(),
                IntakeFailoverIT.freePort(),
                IntakeFailoverIT.freePort(),
                IntakeFailoverIT.freePort(),
                true,
                1,
                200,
                1000);
        try (TestingServer zk = new TestingServer(zkSpec, true);
                ExternalDatabase db = ExternalDatabase.mariadb();
                IntakeFailoverIT.Shop shop = new IntakeFailoverIT.Shop();
                WharfProcess wharf = new WharfProcess(data, "127.0.66.0/24").start()) {
            String command = "java -jar wharf.jar intake shop -n " + namespace + " --log " + REDIS + " --log-prefix "
                    + prefix + " --store '" + db.url() + "' --zookeeper " + zk.getConnectString()
                    + " --zookeeper-session 2s --endpoints " + shop.endpoint();
            var pushed = wharf.cli("image", "push", "intake:1", WharfProcess.JAR.toString(), "--cmd", command);
            assertThat(pushed.exit()).as(pushed.err()).isZero();
            Path spec = data.resolve("intake.yaml");
            Files.writeString(spec, """
                    name: shop-intake
                    image: intake:1
                    replicas: 2
                    ports: [{port: 8080, external: 18460}]
                    """);
            var applied = wharf.cli("apply", "-f", spec.toString());
            assertThat(applied.exit()).as(applied.err()).isZero();
            await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> {
                int up = 0;
                for (JsonNode e : JSON.readTree(wharf.http()
                                .get("/v1/namespaces/default/services/shop-intake/endpoints")
                                .body())
                        .get("endpoints")) {
                    if (e.get("state").asText().equals("UP")) up++;
                }
                return up == 2;
            });

            HttpClient http = HttpClient.newBuilder()
                    .executor(Executors.newVirtualThreadPerTaskExecutor())
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();
            URI buy = URI.create("http://" + wharf.lbAddress() + ":18460/buy");
            // one of them leads: the first request through is answered once it is ordered and handled
            await().atMost(Duration.ofSeconds(60))
                    .ignoreExceptions()
                    .until(() -> http.send(
                                            HttpRequest.newBuilder(buy)
                                                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .statusCode()
                            == 200);

            Map<String, Integer> byIntake = new ConcurrentHashMap<>();
            Set<String> ids = ConcurrentHashMap.newKeySet();
            List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                sent.add(http.sendAsync(
                        HttpRequest.newBuilder(buy)
                                .header("Wharf-Order-Key", "item-" + i % 10)
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (var f : sent) {
                HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("ok");
                String id = r.headers().firstValue("Wharf-Request-Id").orElseThrow();
                ids.add(id);
                // a request's id is NAME-SEQ-RANDOM, NAME the intake instance's that took it
                byIntake.merge(id.substring(0, id.lastIndexOf('-', id.lastIndexOf('-') - 1)), 1, Integer::sum);
            }
            assertThat(ids).hasSize(200);
            assertThat(byIntake).as("requests per intake instance").hasSize(2);
            assertThat(ids).allSatisfy(id -> assertThat(shop.calls.get(id)).isEqualTo(1));
        }
    }
}
