package io.wharf.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesTheRegistryInPrometheusText() throws Exception {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Counter served = Counter.builder("wharf.lb.test").tag("service", "demo").register(meters);
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(new InetSocketAddress("127.0.0.1", 0), meters)) {
            String base = "http://127.0.0.1:" + endpoint.address().getPort();
            served.increment(3);
            HttpResponse<String> r = get(base + "/metrics", "GET");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(r.body()).contains("wharf_lb_test_total{service=\"demo\"} 3.0");
            served.increment();
            assertThat(get(base + "/metrics", "GET").body()).contains("wharf_lb_test_total{service=\"demo\"} 4.0");

            assertThat(get(base + "/metrics", "HEAD").statusCode()).isEqualTo(200);
            HttpResponse<String> other = get(base + "/metricsx", "GET");
            assertThat(other.statusCode()).isEqualTo(404);
            assertThat(other.body()).contains("serves /metrics only");
            HttpResponse<String> post = get(base + "/metrics", "POST");
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        }
    }

    @Test
    void anAddressInUseIsRefused() throws Exception {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (MetricsEndpoint first = MetricsEndpoint.start(new InetSocketAddress("127.0.0.1", 0), meters)) {
            assertThatThrownBy(() -> MetricsEndpoint.start(first.address(), meters))
                    .isInstanceOf(BindException.class);
        }
    }

    private HttpResponse<String> get(String url, String method) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
