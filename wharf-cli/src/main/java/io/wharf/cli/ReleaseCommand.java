package io.wharf.cli;

import io.wharf.client.OperationsApi;
import io.wharf.client.wire.OperationStatus;
import io.wharf.client.wire.ReleaseEndpointInfo;
import io.wharf.client.wire.ReleaseInfo;
import io.wharf.client.wire.ReleaseRequest;
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

    @Option(names = "--parallelism", paramLabel = "N", description = "Endpoints replaced at once (default: 1).")
    Integer parallelism;

    @Option(
            names = "--drain-timeout",
            paramLabel = "DURATION",
            description = "The longest wait for an endpoint's traffic to drain (default: 20s).")
    String drainTimeout;

    @Option(
            names = "--health-checks",
            paramLabel = "N",
            description = "Health checks a new version gets before it is rolled back (default: 6).")
    Integer healthChecks;

    @Option(names = "--mode", paramLabel = "MODE", description = "in-place or start-first (default: in-place).")
    String mode;

    @Option(
            names = "--watch",
            paramLabel = "DURATION",
            description = "start-first: how long a new endpoint is watched before the switch; the first fifth is"
                    + " a warm-up that is not judged (default: 10s).")
    String watch;

    @Option(
            names = "--max-error-rate",
            paramLabel = "RATE",
            description = "start-first: the share of a new endpoint's requests that may fail while watched"
                    + " (default: 0.01).")
    Double maxErrorRate;

    @Option(
            names = "--max-latency-ratio",
            paramLabel = "RATIO",
            description = "start-first: how many times the other endpoints' latency a new endpoint may take; it is"
                    + " too slow only if its median and, with 50 requests or more, its 90th percentile are both over;"
                    + " differences under 10 ms never count (default: 2).")
    Double maxLatencyRatio;

    @Option(
            names = "--min-requests",
            paramLabel = "N",
            description = "start-first: requests the watch needs before it judges; it waits up to three windows"
                    + " for them, then rolls back (default: 20).")
    Integer minRequests;

    @Option(
            names = "--allow-unwatched",
            description = "start-first: switch even when the watch saw too few requests to judge.")
    boolean allowUnwatched;

    @Option(names = "--no-rollback", description = "in-place: leave a failing endpoint on the new version.")
    boolean noRollback;

    @Option(
            names = "--wait",
            description = "Print each endpoint's steps until the release ends; exit 1 unless it completed.")
    boolean await;

    @Override
    public Integer call() throws Exception {
        OperationsApi api = client.client().operations();
        ReleaseInfo release = api.release(new ReleaseRequest(
                namespace.namespace,
                service,
                version,
                parallelism,
                drainTimeout,
                healthChecks,
                mode,
                noRollback ? Boolean.FALSE : null,
                watch,
                maxErrorRate,
                maxLatencyRatio,
                minRequests,
                allowUnwatched ? Boolean.TRUE : null));
        String id = release.id();
        System.out.println("release " + id + " of " + namespace.namespace + "/" + service + " to " + version + ": "
                + release.endpoints().size() + " endpoints");
        if (!await) {
            System.out.println("follow it with: wharf describe release " + id);
            return 0;
        }
        Map<String, String> shown = new LinkedHashMap<>();
        while (true) {
            release = api.getRelease(id);
            for (ReleaseEndpointInfo e : release.endpoints()) {
                String line = ReleaseViews.endpointLine(e);
                if (!line.equals(shown.get(e.container()))) {
                    System.out.println(line);
                    shown.put(e.container(), line);
                }
            }
            if (release.status() != OperationStatus.RUNNING) {
                System.out.println(release.status() + ": " + release.reason());
                return release.status() == OperationStatus.COMPLETED ? 0 : 1;
            }
            Thread.sleep(200);
        }
    }
}
