package io.wharf.bench;

import io.wharf.client.WharfClient;
import io.wharf.client.wire.ContainerReport;
import io.wharf.client.wire.EndpointState;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Apply → all endpoints UP. Applies a service of IMAGE with N replicas, then polls its endpoints every
 * 20 ms until N are UP; prints the time. Then scales it to 0 and waits until its containers are gone.
 * With {@code rss}, also prints the containers' mean resident memory as the agents report it.
 *
 * With {@code host}, the service has {@code network: host} (on Docker: the host's network, no port published).
 *
 * <p>Usage: {@code ApplyToServing URL TOKEN SERVICE IMAGE REPLICAS HEALTH_PATH|- [rss] [host]}
 */
public final class ApplyToServing {
    public static void main(String[] args) throws Exception {
        WharfClient api = WharfClient.builder(args[0]).token(args[1]).build();
        String service = args[2];
        String image = args[3];
        int replicas = Integer.parseInt(args[4]);
        Optional<String> health = args[5].equals("-") ? Optional.empty() : Optional.of(args[5]);
        List<String> flags = List.of(args).subList(6, args.length);
        boolean rss = flags.contains("rss");
        boolean hostNetwork = flags.contains("host");

        long start = System.nanoTime();
        apply(api, service, image, replicas, health, hostNetwork);
        long upAt = 0;
        while (System.nanoTime() - start < Duration.ofMinutes(10).toNanos()) {
            long up = api.registry().endpoints("default", service).endpoints().stream()
                    .filter(e -> e.state() == EndpointState.UP)
                    .count();
            if (up >= replicas) {
                upAt = System.nanoTime();
                break;
            }
            Thread.sleep(20);
        }
        if (upAt == 0)
            throw new IllegalStateException(service + ": not all " + replicas + " endpoints UP within 10 minutes");
        double seconds = (upAt - start) / 1e9;
        String line = String.format(
                "%-10s %-9s replicas=%-4d apply->all UP %.2f s (%.0f ms per replica)",
                service, image, replicas, seconds, seconds * 1000 / replicas);
        if (rss) {
            Thread.sleep(3000); // a few heartbeats, so that every container's memory is reported after start-up
            List<Long> reported = api.cluster().containers().stream()
                    .flatMap(c -> c.observed().stream())
                    .map(ContainerReport::rssBytes)
                    .filter(v -> v > 0)
                    .toList();
            long total = reported.stream().mapToLong(Long::longValue).sum();
            line += String.format(
                    "; resident memory %.1f MiB per container (%d reported)",
                    total / (double) reported.size() / (1 << 20), reported.size());
            long engine = engineProcessesRss();
            if (engine > 0) {
                line += String.format(
                        "; the engine's processes for them (containerd-shim, docker-proxy) %.1f MiB per container",
                        engine / (double) replicas / (1 << 20));
            }
        }
        System.out.println(line);

        apply(api, service, image, 0, health, hostNetwork);
        while (api.cluster().containers().stream().anyMatch(c -> c.service().equals(service))) {
            Thread.sleep(100);
        }
    }

    /**
     * The resident memory of the Docker Engine's processes that exist per container (a containerd shim each, a
     * docker-proxy per published port), from {@code /proc}; 0 where there are none.
     */
    private static long engineProcessesRss() {
        long total = 0;
        for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
            String command = p.info()
                    .command()
                    .map(c -> c.substring(c.lastIndexOf('/') + 1))
                    .orElse("");
            if (!command.startsWith("containerd-shim") && !command.equals("docker-proxy")) continue;
            try {
                for (String l :
                        java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc", p.pid() + "", "status"))) {
                    if (l.startsWith("VmRSS:")) total += Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
                }
            } catch (java.io.IOException | RuntimeException gone) {
                // ended meanwhile
            }
        }
        return total;
    }

    private static void apply(
            WharfClient api, String service, String image, int replicas, Optional<String> health, boolean hostNetwork) {
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("interval", "200ms");
        health.ifPresent(path -> check.put("path", path));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", service);
        spec.put("image", image);
        spec.put("replicas", replicas);
        spec.put("ports", List.of(Map.of("port", 8080)));
        spec.put("health", check);
        if (hostNetwork) spec.put("network", "host");
        api.cluster().apply(spec);
    }
}
