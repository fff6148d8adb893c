package io.wharf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code wharf register}: put an endpoint into the registry, optionally keeping its lease alive. */
@Command(
        name = "register",
        description = {
            "Register an endpoint (ip_port) of a service; the service is created if needed.",
            "The endpoint lives on a lease: without --keep-alive it leaves the registry when its ttl runs out."
        })
final class RegisterCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Mixin
    EndpointArgs target;

    @Option(names = "--version", paramLabel = "V", description = "The version it runs, e.g. v1.")
    String version;

    // not mixinStandardHelpOptions: its --version would take the place of the endpoint's version
    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--weight", paramLabel = "N", description = "Share of traffic, 0-10000 (default: 1).")
    Integer weight;

    @Option(
            names = "--ttl",
            paramLabel = "DURATION",
            description = "Lease time to live, e.g. 3s, 10m, 1h (default: the server's, 3s).")
    String ttl;

    @Option(names = "--state", paramLabel = "STATE", description = "UP, DRAINING or DOWN (default: UP).")
    String state;

    @Option(
            names = {"-l", "--meta"},
            paramLabel = "KEY=VALUE",
            description = "Metadata; repeat for more.")
    Map<String, String> metadata = new LinkedHashMap<>();

    @Option(
            names = "--keep-alive",
            description = "Stay in the foreground, renewing the lease, until interrupted; then deregister.")
    boolean keepAlive;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        if (version != null) body.put("version", version);
        if (weight != null) body.put("weight", weight);
        if (ttl != null) body.put("ttl", ttl);
        if (state != null) body.put("state", state);
        if (!metadata.isEmpty()) body.put("metadata", metadata);
        ApiClient api = client.client();
        String path = target.path();
        JsonNode registered = api.put(path, body);
        System.out.println("endpoint " + target + " registered at revision "
                + registered.get("revision").asText());
        if (!keepAlive) {
            return 0;
        }
        Duration beat = Duration.ofMillis(Math.max(
                100,
                io.wharf.core.Durations.parse("ttl", ttl == null ? "3s" : ttl).toMillis() / 3));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                api.delete(path);
                System.out.println("endpoint deregistered");
            } catch (RuntimeException e) {
                System.err.println("error: deregistering failed: " + CliErrors.describe(e));
            }
        }));
        System.out.println("renewing every " + beat.toMillis() + " ms; Ctrl-C to deregister and stop");
        while (true) {
            Thread.sleep(beat);
            try {
                api.put(path + "/heartbeat", Map.of());
            } catch (ApiClient.ApiException e) {
                if (e.status != 404) throw e;
                // lost, e.g. the server restarted: register again
                api.put(path, body);
                System.out.println("endpoint re-registered");
            }
        }
    }
}
