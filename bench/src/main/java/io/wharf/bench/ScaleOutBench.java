package io.wharf.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A scale-out task over one group of services, timed. Applies SERVICES services of IMAGE with REPLICAS
 * each, labelled {@code group=PREFIX}, waits until all their endpoints are UP, then creates one scale-out
 * task for the group and measures: until every new endpoint is UP in the registry (polled every 20 ms), and
 * until the task says COMPLETED; per new container, from the task's creation until the task saw it serving.
 * Then scales the services to 0 and waits until their containers are gone.
 *
 * <p>Usage: {@code ScaleOutBench URL TOKEN PREFIX IMAGE SERVICES REPLICAS HEALTH_PATH|-}
 */
public final class ScaleOutBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        String token = args[1];
        String prefix = args[2];
        String image = args[3];
        int services = Integer.parseInt(args[4]);
        int replicas = Integer.parseInt(args[5]);
        String health = args[6].equals("-") ? "" : ",\"path\":\"" + args[6] + "\"";
        HttpClient http = HttpClient.newHttpClient();

        for (int i = 0; i < services; i++) {
            apply(http, base, token, prefix + "-" + i, image, replicas, prefix, health);
        }
        awaitUp(http, base, prefix, services * replicas, Duration.ofMinutes(10));

        long start = System.nanoTime();
        JsonNode created = Api.send(http, base, token, "POST", "/v1/scale-outs", "{\"groups\":[\"" + prefix + "\"]}");
        String id = created.get("task").get("id").asText();
        long allUp = awaitUp(http, base, prefix, 2 * services * replicas, Duration.ofMinutes(10)) - start;
        JsonNode details;
        while (true) {
            details = Api.send(http, base, token, "GET", "/v1/scale-outs/" + id, null);
            if (!details.get("task").get("status").asText().equals("RUNNING")) break;
            Thread.sleep(20);
        }
        long done = System.nanoTime() - start;
        Instant createdAt = Instant.parse(details.get("task").get("createdAt").asText());
        List<Long> perContainer = new ArrayList<>();
        details.get("containers").forEach(c -> {
            if (c.get("status").asText().equals("SERVING")) {
                perContainer.add(Duration.between(
                                createdAt, Instant.parse(c.get("updatedAt").asText()))
                        .toMillis());
            }
        });
        Collections.sort(perContainer);
        System.out.printf(
                "%-8s services=%-4d %d -> %d replicas each, %d new containers: all new endpoints UP %.2f s,"
                        + " task %s %.2f s; per container (task created -> seen serving) p50 %d ms, p99 %d ms%n",
                image,
                services,
                replicas,
                2 * replicas,
                perContainer.size(),
                allUp / 1e9,
                details.get("task").get("status").asText(),
                done / 1e9,
                percentile(perContainer, 50),
                percentile(perContainer, 99));

        for (int i = 0; i < services; i++) {
            apply(http, base, token, prefix + "-" + i, image, 0, prefix, health);
        }
        while (Api.send(http, base, token, "GET", "/v1/containers", null)
                .toString()
                .contains("\"service\":\"" + prefix + "-")) {
            Thread.sleep(200);
        }
    }

    /** Waits until the group's services have {@code n} UP endpoints in all; returns when (nanoTime). */
    private static long awaitUp(HttpClient http, URI base, String prefix, int n, Duration limit) throws Exception {
        long start = System.nanoTime();
        while (System.nanoTime() - start < limit.toNanos()) {
            JsonNode list = JSON.readTree(http.send(
                            HttpRequest.newBuilder(base.resolve("/v1/namespaces/default/services"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            long up = 0;
            for (JsonNode s : list.get("services")) {
                if (s.get("name").asText().startsWith(prefix + "-")) {
                    up += s.path("endpoints").path("UP").asLong(0);
                }
            }
            if (up >= n) return System.nanoTime();
            Thread.sleep(20);
        }
        throw new IllegalStateException(prefix + ": fewer than " + n + " endpoints UP after " + limit);
    }

    private static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) return -1;
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    private static void apply(
            HttpClient http,
            URI base,
            String token,
            String service,
            String image,
            int replicas,
            String group,
            String health)
            throws Exception {
        Api.send(
                http,
                base,
                token,
                "POST",
                "/v1/apply",
                "{\"name\":\"" + service + "\",\"image\":\"" + image + "\",\"replicas\":" + replicas
                        + ",\"ports\":[{\"port\":8080}],\"labels\":{\"group\":\"" + group
                        + "\"},\"health\":{\"interval\":\"200ms\"" + health + "}}");
    }
}
