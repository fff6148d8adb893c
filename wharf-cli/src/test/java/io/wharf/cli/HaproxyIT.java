package io.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wharf up --lb haproxy}: the host's load balancing done by HAProxy, configured and driven by the agent. */
class HaproxyIT {
    @TempDir
    Path data;

    @Test
    @DisplayName("004.4 004.5 wharf up --lb haproxy: the demo through HAProxy, both replicas; the platform killed -9,"
            + " HAProxy serves on; started again, it adopts the same HAProxy; a release to v2 through it; not one"
            + " request failed")
    void servesAndIsAdopted() throws Exception {
        WharfProcess wharf = new WharfProcess(data, "127.0.59.0/24").with("--lb", "haproxy");
        AtomicBoolean running = new AtomicBoolean(true);
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicLong ok = new AtomicLong();
        Set<String> instances = ConcurrentHashMap.newKeySet();
        Thread client = null;
        try (wharf;
                HttpClient http = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build()) {
            wharf.start();
            URI demo = URI.create("http://" + wharf.lbAddress() + ":" + LocalPlatform.DEMO_PORT + "/");
            await().atMost(Duration.ofSeconds(60))
                    .ignoreExceptions()
                    .until(() -> http.send(HttpRequest.newBuilder(demo).build(), HttpResponse.BodyHandlers.ofString())
                                    .statusCode()
                            == 200);
            Path haproxy = data.resolve("agent/haproxy");
            assertThat(Files.readString(haproxy.resolve("haproxy.cfg")))
                    .contains("frontend fe_" + LocalPlatform.DEMO_PORT, "backend be_default_demo_http_8080");
            String master = await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(
                            () -> Files.readString(haproxy.resolve("haproxy.pid"))
                                    .trim(),
                            pid -> !pid.isEmpty());
            client = Thread.ofVirtual().start(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> r =
                                http.send(HttpRequest.newBuilder(demo).build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) {
                            ok.incrementAndGet();
                            instances.add(r.body().replaceAll(".*\"instance\":\"([^\"]+)\".*", "$1"));
                        } else {
                            failures.add(r.statusCode() + " " + r.body());
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> instances.size() == 2);

            wharf.kill();
            long afterKill = ok.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> ok.get() > afterKill + 100);

            wharf.start();
            assertThat(wharf.serverOutput()).contains("adopted");
            long afterStart = ok.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> ok.get() > afterStart + 100);
            // adoption reloads the configuration, and HAProxy's master writes its pid file anew on a reload: the
            // same pid once it is there again (a HAProxy started anew would have another)
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(
                            Files.readString(haproxy.resolve("haproxy.pid")).trim())
                    .isEqualTo(master));

            // 001 a release through HAProxy: endpoint by endpoint, each drained (HAProxy's own count of what is
            // in flight) before it is replaced
            long beforeRelease = ok.get();
            var release = wharf.cli("release", "demo", "--version", "v2", "--wait");
            assertThat(release.exit()).as(release.out() + release.err()).isZero();
            assertThat(ok.get()).as("requests served during the release").isGreaterThan(beforeRelease + 100);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                HttpResponse<String> r =
                        http.send(HttpRequest.newBuilder(demo).build(), HttpResponse.BodyHandlers.ofString());
                return r.body().contains("\"version\":\"v2\"");
            });
            running.set(false);
            client.join();
            assertThat(failures).as("failed requests").isEmpty();
        } finally {
            running.set(false);
            if (client != null) client.join();
        }
    }
}
