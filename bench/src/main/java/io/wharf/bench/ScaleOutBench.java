package io.wharf.bench;

import io.wharf.client.WharfClient;
import io.wharf.client.wire.EndpointState;
import io.wharf.client.wire.OperationStatus;
import io.wharf.client.wire.ScaleOutContainer;
import io.wharf.client.wire.ScaleOutContainerStatus;
import io.wharf.client.wire.ScaleOutInfo;
import io.wharf.client.wire.ServiceInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    public static void main(String[] args) throws Exception {
        WharfClient api = WharfClient.builder(args[0]).token(args[1]).build();
        String prefix = args[2];
        String image = args[3];
        int services = Integer.parseInt(args[4]);
        int replicas = Integer.parseInt(args[5]);
        Optional<String> health = args[6].equals("-") ? Optional.empty() : Optional.of(args[6]);

        for (int i = 0; i < services; i++) {
            apply(api, prefix + "-" + i, image, replicas, prefix, health);
        }
        awaitUp(api, prefix, services * replicas, Duration.ofMinutes(10));

        long start = System.nanoTime();
        String id = api.operations().scaleOut(List.of(prefix)).task().id();
        long allUp = awaitUp(api, prefix, 2 * services * replicas, Duration.ofMinutes(10)) - start;
        ScaleOutInfo details;
        while (true) {
            details = api.operations().getScaleOut(id);
            if (details.task().status() != OperationStatus.RUNNING) break;
            Thread.sleep(20);
        }
        long done = System.nanoTime() - start;
        Instant createdAt = details.task().createdAt();
        List<Long> perContainer = new ArrayList<>();
        for (ScaleOutContainer c : details.containers()) {
            if (c.status() == ScaleOutContainerStatus.SERVING) {
                perContainer.add(Duration.between(createdAt, c.updatedAt()).toMillis());
            }
        }
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
                details.task().status(),
                done / 1e9,
                percentile(perContainer, 50),
                percentile(perContainer, 99));

        for (int i = 0; i < services; i++) {
            apply(api, prefix + "-" + i, image, 0, prefix, health);
        }
        while (api.cluster().containers().stream().anyMatch(c -> c.service().startsWith(prefix + "-"))) {
            Thread.sleep(200);
        }
    }

    /** Waits until the group's services have {@code n} UP endpoints in all; returns when (nanoTime). */
    private static long awaitUp(WharfClient api, String prefix, int n, Duration limit) throws Exception {
        long start = System.nanoTime();
        while (System.nanoTime() - start < limit.toNanos()) {
            long up = 0;
            for (ServiceInfo s : api.registry().services("default")) {
                if (s.name().startsWith(prefix + "-")) {
                    up += s.endpoints().getOrDefault(EndpointState.UP, 0L);
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
            WharfClient api, String service, String image, int replicas, String group, Optional<String> health) {
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("interval", "200ms");
        health.ifPresent(path -> check.put("path", path));
        api.cluster()
                .apply(Map.of(
                        "name",
                        service,
                        "image",
                        image,
                        "replicas",
                        replicas,
                        "ports",
                        List.of(Map.of("port", 8080)),
                        "labels",
                        Map.of("group", group),
                        "health",
                        check));
    }
}
