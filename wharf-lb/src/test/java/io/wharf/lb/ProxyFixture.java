package io.wharf.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.registry.EndpointId;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;

/**
 * What the HTTP proxy tests share: a registry feed, test endpoints, a client, and the load balancer under test
 * (made by the test class) listening on {@link #lbIp()}, its HTTP routes on {@link #port()}.
 */
abstract class ProxyFixture {
    final ManualFeed feed = new ManualFeed();
    final List<TestBackend> backends = new ArrayList<>();
    final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    LoadBalancer lb;

    abstract String lbIp();

    abstract int port();

    /** The address of the test's {@code n}th endpoint. */
    abstract String backendIp(int n);

    @AfterEach
    void stopProxy() {
        if (lb != null) lb.close();
        backends.forEach(TestBackend::close);
        http.close();
    }

    TestBackend backend(int n) throws Exception {
        TestBackend b = TestBackend.start(backendIp(n), 8080);
        backends.add(b);
        return b;
    }

    List<EndpointId> backends(int n) throws Exception {
        List<EndpointId> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) ids.add(backend(i).id());
        return ids;
    }

    void route(Route... routes) {
        assertThat(lb.apply(List.of(routes))).isEmpty();
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://" + lbIp() + ":" + port() + path))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://" + lbIp() + ":" + port() + path))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> head(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://" + lbIp() + ":" + port() + path))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** How many of {@code n} requests each endpoint answered, by its id; every one must be a 200. */
    Map<String, Long> spread(int n) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = get("/hello");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            counts.merge(r.body(), 1L, Long::sum);
        }
        return counts;
    }
}
