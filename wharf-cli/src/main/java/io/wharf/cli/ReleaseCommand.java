package io.wharf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf release SERVICE --version V}: replace every endpoint, not one request failed. */
@Command(
        name = "release",
        description = {
            "Release a new version of a service, endpoint by endpoint.",
            "in-place: deregister, pause its agent, drain until every load balancer and watcher has let go,"
                    + " replace on the same IP and port, health-check, register, resume.",
            "start-first: start the new version on a new IP while the old endpoint's traffic goes to the"
                    + " others; register it once healthy and watch its errors and latency; if it serves well the"
                    + " old endpoint drains and is stopped, if not traffic goes back to the old one.",
            "A failing endpoint is rolled back and the release stops.",
            "The release is durable: it carries on after a restart of the server. Follow it with"
                    + " 'wharf describe release ID'."
        })
final class ReleaseCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Mixin
    NamespaceOption namespace;

    @Parameters(paramLabel = "SERVICE")
    String service;

    @Option(names = "--version", required = true, paramLabel = "V", description = "The version to release.")
    String version;

    // not mixinStandardHelpOptions: its --version would take the place of the version to release
    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help message and exit.")
    boolean help;

    @Option(
            names = "--parallelism",
            defaultValue = "1",
            paramLabel = "N",
            description = "Endpoints replaced at once (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(
            names = "--drain-timeout",
            defaultValue = "20s",
            paramLabel = "DURATION",
            description = "The longest wait for an endpoint's traffic to drain (default: ${DEFAULT-VALUE}).")
    String drainTimeout;

    @Option(
            names = "--health-checks",
            defaultValue = "6",
            paramLabel = "N",
            description = "Health checks a new version gets before it is rolled back (default: ${DEFAULT-VALUE}).")
    int healthChecks;

    @Option(
            names = "--mode",
            defaultValue = "in-place",
            paramLabel = "MODE",
            description = "in-place or start-first (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(
            names = "--watch",
            defaultValue = "10s",
            paramLabel = "DURATION",
            description =
                    "start-first: how long a new endpoint is watched before the switch (default: ${DEFAULT-VALUE}).")
    String watch;

    @Option(
            names = "--max-error-rate",
            defaultValue = "0.01",
            paramLabel = "RATE",
            description = "start-first: the share of a new endpoint's requests that may fail while watched"
                    + " (default: ${DEFAULT-VALUE}).")
    double maxErrorRate;

    @Option(
            names = "--max-latency-ratio",
            defaultValue = "2",
            paramLabel = "RATIO",
            description = "start-first: how many times the other endpoints' mean latency a new endpoint may take;"
                    + " differences under 10 ms never count (default: ${DEFAULT-VALUE}).")
    double maxLatencyRatio;

    @Option(names = "--no-rollback", description = "in-place: leave a failing endpoint on the new version.")
    boolean noRollback;

    @Option(
            names = "--wait",
            description = "Print each endpoint's steps until the release ends; exit 1 unless it completed.")
    boolean await;

    @Override
    public Integer call() throws Exception {
        ApiClient api = client.client();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("namespace", namespace.namespace);
        body.put("service", service);
        body.put("version", version);
        body.put("parallelism", parallelism);
        body.put("drainTimeout", drainTimeout);
        body.put("healthChecks", healthChecks);
        body.put("mode", mode);
        body.put("rollback", !noRollback);
        body.put("watch", watch);
        body.put("maxErrorRate", maxErrorRate);
        body.put("maxLatencyRatio", maxLatencyRatio);
        JsonNode release = api.post("/v1/releases", body);
        String id = release.get("id").asText();
        System.out.println("release " + id + " of " + namespace.namespace + "/" + service + " to " + version + ": "
                + release.get("endpoints").size() + " endpoints");
        if (!await) {
            System.out.println("follow it with: wharf describe release " + id);
            return 0;
        }
        Map<String, String> shown = new LinkedHashMap<>();
        while (true) {
            release = api.get("/v1/releases/" + id);
            for (JsonNode e : release.get("endpoints")) {
                String line = ReleaseViews.endpointLine(e);
                if (!line.equals(shown.get(e.get("container").asText()))) {
                    System.out.println(line);
                    shown.put(e.get("container").asText(), line);
                }
            }
            String status = release.get("status").asText();
            if (!status.equals("RUNNING")) {
                System.out.println(status + ": " + release.get("reason").asText());
                return status.equals("COMPLETED") ? 0 : 1;
            }
            Thread.sleep(200);
        }
    }
}
