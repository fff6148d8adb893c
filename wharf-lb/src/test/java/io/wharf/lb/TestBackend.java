package io.wharf.lb;

import com.sun.net.httpserver.HttpServer;
import io.wharf.core.registry.EndpointId;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP endpoint for tests, on its own loopback IP: answers every path with its id ({@code ip_port}),
 * echoes a request body, and can be told to hold answers until released. Paths under {@code /fail} get a 500.
 */
public final class TestBackend implements AutoCloseable {
    private final EndpointId id;
    private final HttpServer server;
    private final AtomicInteger served = new AtomicInteger();
    private volatile CountDownLatch hold = new CountDownLatch(0);
    private final AtomicInteger waiting = new AtomicInteger();

    private TestBackend(EndpointId id) throws IOException {
        this.id = id;
        this.server = HttpServer.create(new InetSocketAddress(id.ip(), id.port()), 512);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                byte[] body = in.readAllBytes();
                waiting.incrementAndGet();
                try {
                    hold.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    waiting.decrementAndGet();
                }
                byte[] out = (id + (body.length > 0 ? " " + new String(body, StandardCharsets.UTF_8) : ""))
                        .getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("X-Path", ex.getRequestURI().getPath());
                String xff = ex.getRequestHeaders().getFirst("X-Forwarded-For");
                if (xff != null) ex.getResponseHeaders().set("X-Seen-Forwarded-For", xff);
                int status = ex.getRequestURI().getPath().startsWith("/fail") ? 500 : 200;
                ex.sendResponseHeaders(status, ex.getRequestMethod().equals("HEAD") ? -1 : out.length);
                try (OutputStream os = ex.getResponseBody()) {
                    if (!ex.getRequestMethod().equals("HEAD")) os.write(out);
                }
                served.incrementAndGet();
            }
        });
        server.start();
    }

    public static TestBackend start(String ip, int port) throws IOException {
        return new TestBackend(new EndpointId(ip, port));
    }

    public EndpointId id() {
        return id;
    }

    public int served() {
        return served.get();
    }

    /** Answers wait until {@link #release()}. */
    public void holdAnswers() {
        hold = new CountDownLatch(1);
    }

    public void release() {
        hold.countDown();
    }

    /** Requests that arrived and are being held. */
    public int waiting() {
        return waiting.get();
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
