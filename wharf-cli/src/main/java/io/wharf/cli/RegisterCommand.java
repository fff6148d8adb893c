package io.wharf.cli;

import io.wharf.client.ApiException;
import io.wharf.client.RegistryApi;
import io.wharf.client.wire.EndpointInfo;
import io.wharf.client.wire.EndpointState;
import io.wharf.client.wire.RegisterEndpoint;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
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
        EndpointState endpointState = null;
        if (state != null) {
            try {
                endpointState = EndpointState.valueOf(state.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--state " + state + " (expected: UP, DRAINING or DOWN)");
            }
        }
        RegisterEndpoint body = new RegisterEndpoint(
                version, weight, ttl, null, metadata.isEmpty() ? null : metadata, endpointState, null);
        RegistryApi api = client.client().registry();
        String ns = target.ns.namespace;
        EndpointInfo registered = api.register(ns, target.service, target.endpoint, body);
        System.out.println("endpoint " + target + " registered at revision " + registered.revision());
        if (!keepAlive) {
            return 0;
        }
        Duration beat = Duration.ofMillis(Math.max(
                100,
                io.wharf.core.Durations.parse("ttl", ttl == null ? "3s" : ttl).toMillis() / 3));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                api.deregister(ns, target.service, target.endpoint);
                System.out.println("endpoint deregistered");
            } catch (RuntimeException e) {
                System.err.println("error: deregistering failed: " + CliErrors.describe(e));
            }
        }));
        System.out.println("renewing every " + beat.toMillis() + " ms; Ctrl-C to deregister and stop");
        while (true) {
            Thread.sleep(beat);
            try {
                api.heartbeat(ns, target.service, target.endpoint);
            } catch (ApiException e) {
                if (e.status() != 404) throw e;
                // lost, e.g. the server restarted: register again
                api.register(ns, target.service, target.endpoint, body);
                System.out.println("endpoint re-registered");
            }
        }
    }
}
