package io.wharf.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * A registry change → HAProxy serving it, through the whole platform: {@code CHANGES} changes to a service
 * published by a host whose load balancer is HAProxy ({@code wharf agent --lb haproxy}) — an endpoint
 * registered through the registry's REST API, then deregistered, in turn — each timed from the moment the
 * request is sent to the server to the moment HAProxy's runtime API shows the endpoint in service (or out of
 * it), polled every half millisecond on its stats socket. The registry's push to the agent's watch, the
 * agent's load balancer and HAProxy's runtime API are all in it. Prints p50, p99 and the largest, and whether
 * HAProxy's worker changed (a reload).
 *
 * <p>{@code java -cp bench.jar io.wharf.bench.HaproxyPushBench URL TOKEN STATS_SOCKET BACKEND SERVICE CHANGES}
 * with {@code SERVICE} as {@code NS/NAME}; endpoints on 127.0.65.1–200, port 8080.
 */
public final class HaproxyPushBench {
    private HaproxyPushBench() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String token = args[1];
        Path socket = Path.of(args[2]);
        String backend = args[3];
        String[] service = args[4].split("/");
        int changes = Integer.parseInt(args[5]);
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Histogram added = new Histogram(3);
        Histogram removed = new Histogram(3);
        String worker = worker(socket);
        for (int i = 0; i < changes; i++) {
            String ip = "127.0.65." + (i / 2 % 200 + 1);
            URI endpoint = URI.create(
                    url + "/v1/namespaces/" + service[0] + "/services/" + service[1] + "/endpoints/" + ip + "_8080");
            boolean add = i % 2 == 0;
            long start = System.nanoTime();
            HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).header("Authorization", "Bearer " + token);
            HttpResponse<String> r = http.send(
                    add
                            ? request.PUT(HttpRequest.BodyPublishers.ofString("{\"ttl\":\"10m\"}"))
                                    .header("Content-Type", "application/json")
                                    .build()
                            : request.DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) throw new IllegalStateException(r.statusCode() + " " + r.body());
            long deadline = start + TimeUnit.SECONDS.toNanos(10);
            while (serving(socket, backend, ip) != add) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("HAProxy did not apply " + ip);
                LockSupport.parkNanos(500_000);
            }
            (add ? added : removed).recordValue((System.nanoTime() - start) / 1000);
        }
        boolean reloaded = !worker.equals(worker(socket));
        System.out.printf("%-10s %8s %10s %10s %10s%n", "change", "count", "p50 ms", "p99 ms", "max ms");
        for (var e : java.util.Map.of("register", added, "deregister", removed).entrySet()) {
            Histogram h = e.getValue();
            System.out.printf(
                    "%-10s %8d %10.2f %10.2f %10.2f%n",
                    e.getKey(),
                    h.getTotalCount(),
                    h.getValueAtPercentile(50) / 1000.0,
                    h.getValueAtPercentile(99) / 1000.0,
                    h.getMaxValue() / 1000.0);
        }
        Histogram all = new Histogram(3);
        all.add(added);
        all.add(removed);
        System.out.printf(
                "%-10s %8d %10.2f %10.2f %10.2f%n",
                "all",
                all.getTotalCount(),
                all.getValueAtPercentile(50) / 1000.0,
                all.getValueAtPercentile(99) / 1000.0,
                all.getMaxValue() / 1000.0);
        System.out.println("reloads: " + (reloaded ? "HAProxy's worker changed" : "0 (the same worker throughout)"));
    }

    /** Whether HAProxy has a server of {@code backend} at {@code ip} that is not in maintenance. */
    static boolean serving(Path socket, String backend, String ip) throws IOException {
        for (String line : ask(socket, "show servers state " + backend).split("\n")) {
            String[] f = line.split(" ");
            // be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state ...
            if (f.length > 6 && f[1].equals(backend) && f[4].equals(ip)) {
                return (Integer.parseInt(f[6]) & 0x01) == 0;
            }
        }
        return false;
    }

    static String worker(Path socket) throws IOException {
        for (String line : ask(socket, "show info").split("\n")) {
            if (line.startsWith("Pid:")) return line.substring(4).trim();
        }
        return "";
    }

    static String ask(Path socket, String command) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(65536);
            while (ch.read(buf) > 0) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
