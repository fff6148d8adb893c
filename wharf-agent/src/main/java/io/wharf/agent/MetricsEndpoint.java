package io.wharf.agent;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An agent's {@code GET /metrics}, in the Prometheus text format: its load balancer's meters per service and
 * endpoint, and its JVM's. One route that a scraper calls every few seconds, so the JDK's own HTTP server
 * serves it.
 */
public final class MetricsEndpoint implements AutoCloseable {
    static final String PATH = "/metrics";
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer http;
    private final ExecutorService executor;
    private final PrometheusMeterRegistry meters;

    private MetricsEndpoint(HttpServer http, ExecutorService executor, PrometheusMeterRegistry meters) {
        this.http = http;
        this.executor = executor;
        this.meters = meters;
    }

    /**
     * Serves {@code meters} at {@code http://address/metrics}.
     *
     * @throws IOException if the address cannot be bound (in use, or not this host's)
     */
    public static MetricsEndpoint start(InetSocketAddress address, PrometheusMeterRegistry meters) throws IOException {
        requireNonNull(address, "address");
        requireNonNull(meters, "meters");
        HttpServer http = HttpServer.create(address, 16);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        MetricsEndpoint endpoint = new MetricsEndpoint(http, executor, meters);
        http.createContext("/", endpoint::handle);
        http.setExecutor(executor);
        http.start();
        return endpoint;
    }

    /** Where it listens; the port is the one bound when {@code 0} was asked for. */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals(PATH)) {
                answer(exchange, 404, "not found: this agent serves " + PATH + " only\n");
            } else if (!exchange.getRequestMethod().equals("GET")
                    && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                answer(exchange, 405, exchange.getRequestMethod() + " is not allowed on " + PATH + "; use GET\n");
            } else {
                exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
                answer(exchange, 200, meters.scrape());
            }
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (status != 200) exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        http.stop(0);
        executor.close();
    }
}
