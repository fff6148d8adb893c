package io.wharf.bench;

import io.wharf.client.WharfClient;
import io.wharf.client.wire.ContainerInfo;
import io.wharf.client.wire.ContainerReport;
import io.wharf.client.wire.Desired;
import io.wharf.client.wire.EndpointInfo;
import io.wharf.client.wire.EndpointState;
import io.wharf.client.wire.HostInfo;
import io.wharf.client.wire.OperationStatus;
import io.wharf.client.wire.Registration;
import io.wharf.client.wire.ReleaseEndpointInfo;
import io.wharf.client.wire.ReleaseInfo;
import io.wharf.client.wire.ReleaseRequest;
import io.wharf.client.wire.ServiceLoad;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A service's release under an open-loop load, four ways, in one run: (a) naive — each endpoint restarted
 * on the new version while it stays registered; (b) the seed's timer — deregistered, then a fixed wait of
 * the whole drain timeout (20 s) before it is replaced, done with Wharf's release and a watcher that never
 * acknowledges, so the wait always runs out; (c) Wharf's release, drained by acknowledgement, and (d) the
 * same with the load balancer's slow start for new endpoints, releases alternating between (c) and (d)
 * (and between the versions) until the load has sent at least MIN_REQUESTS in each. The load sends RATE
 * requests/s through the load balancer at fixed times, whatever the answers do (latency counts from the time
 * a request was due), over keep-alive connections; a request fails on any status but 200, an error or a 5 s
 * timeout.
 *
 * <p>Also measures the demo's own start-up: java -jar until its port accepts, a few times, outside the
 * platform.
 *
 * <p>Usage: {@code ReleaseBench URL TOKEN SERVICE LB_URL RATE MIN_REQUESTS DEMO_JAR JAVA}
 */
public final class ReleaseBench {
    private static final String NS = "default";

    private final HttpClient http = HttpClient.newHttpClient();
    private final WharfClient api;
    private final URI base;
    private final String token;
    private final String service;

    private ReleaseBench(URI base, String token, String service) {
        this.base = base;
        this.token = token;
        this.api = WharfClient.builder(base.toString()).token(token).build();
        this.service = service;
    }

    public static void main(String[] args) throws Exception {
        ReleaseBench bench = new ReleaseBench(URI.create(args[0]), args[1], args[2]);
        URI lb = URI.create(args[3]);
        int rate = Integer.parseInt(args[4]);
        long minRequests = Long.parseLong(args[5]);
        Path demoJar = Path.of(args[6]);
        String java = args[7];

        List<Long> startups = new ArrayList<>();
        for (int i = 0; i < 5; i++) startups.add(demoStartup(java, demoJar, 18190 + i));
        Collections.sort(startups);
        long startup = startups.get(startups.size() / 2);
        System.out.printf(
                Locale.ROOT,
                "demo start-up outside the platform (java -jar until its port accepts), 5 runs: median %d ms,"
                        + " min %d, max %d%n",
                startup,
                startups.get(0),
                startups.get(startups.size() - 1));

        bench.awaitVersion("v1", 4);
        warm(lb, rate);

        // (a) naive
        try (OpenLoad load = new OpenLoad(lb, rate)) {
            long t0 = System.nanoTime();
            List<Long> per = bench.naive("v2");
            long took = System.nanoTime() - t0;
            Thread.sleep(1000);
            load.stop();
            report(
                    "(a) naive restart, endpoint stays registered",
                    load.tally(),
                    took,
                    per,
                    List.of(),
                    List.of(),
                    startup);
        }
        bench.release("v1", "20s", false); // back to v1 without load, for (b)
        warm(lb, rate);

        // (b) the seed's timer
        try (OpenLoad load = new OpenLoad(lb, rate);
                Stuck stuck = bench.stuckWatcher()) {
            long t0 = System.nanoTime();
            ReleaseInfo r = bench.release("v2", "20s", true);
            long took = System.nanoTime() - t0;
            Thread.sleep(1000);
            load.stop();
            report(
                    "(b) deregister, fixed 20 s wait, replace",
                    load.tally(),
                    took,
                    perEndpoint(r),
                    drains(r),
                    startups(r),
                    startup);
        }

        bench.awaitWatcherGone("fixed-timer");
        warm(lb, rate);

        // (c) acknowledged drain, and (d) the same with a slow start: releases one after another, alternating
        // between the two, until each has sent MIN_REQUESTS; each counts from the start of its release until
        // SETTLE after its end, so that what follows a release is counted with it
        Phase plain = new Phase("(c) Wharf: deregister, acknowledged drain, replace", "0s");
        Phase slow = new Phase("(d) as (c), with loadBalancer.slowStart " + SLOW_START, SLOW_START);
        try (OpenLoad load = new OpenLoad(lb, rate)) {
            String version = "v2";
            while (plain.tally.sent.get() < minRequests || slow.tally.sent.get() < minRequests) {
                for (Phase phase : List.of(plain, slow)) {
                    bench.slowStart(phase.slowStart);
                    version = version.equals("v2") ? "v1" : "v2";
                    load.countIn(phase.tally);
                    long t0 = System.nanoTime();
                    ReleaseInfo r = bench.release(version, "20s", true);
                    phase.releases.add((System.nanoTime() - t0) / 1_000_000);
                    phase.per.addAll(perEndpoint(r));
                    phase.drains.addAll(drains(r));
                    phase.starts.addAll(startups(r));
                    Thread.sleep(SETTLE.toMillis());
                    load.countIn(new Tally());
                }
            }
            load.stop();
        }
        for (Phase phase : List.of(plain, slow)) {
            System.out.printf(
                    Locale.ROOT,
                    "%s: releases one after another (v1 <-> v2): %d, each %s; counted until %d s after each%n",
                    phase.name.substring(0, 3),
                    phase.releases.size(),
                    stats(phase.releases),
                    SETTLE.toSeconds());
            report(
                    phase.name,
                    phase.tally,
                    phase.releases.stream().mapToLong(Long::longValue).sum() * 1_000_000,
                    phase.per,
                    phase.drains,
                    phase.starts,
                    startup);
        }
    }

    private static final String SLOW_START = "5s";
    /** How long after a release its phase keeps counting: the slow start's length. */
    private static final Duration SETTLE = Duration.ofSeconds(5);

    /** The releases of (c) or (d), and what the load saw during them. */
    private record Phase(
            String name,
            String slowStart,
            Tally tally,
            List<Long> releases,
            List<Long> per,
            List<Long> drains,
            List<Long> starts) {
        Phase(String name, String slowStart) {
            this(
                    name,
                    slowStart,
                    new Tally(),
                    new ArrayList<>(),
                    new ArrayList<>(),
                    new ArrayList<>(),
                    new ArrayList<>());
        }
    }

    /** Sets the service's {@code loadBalancer.slowStart} and waits until the load balancer applies it. */
    private void slowStart(String duration) throws Exception {
        Map<String, Object> spec = new LinkedHashMap<>(api.cluster().spec(NS, service));
        @SuppressWarnings("unchecked")
        Map<String, Object> lb = new LinkedHashMap<>((Map<String, Object>) spec.getOrDefault("loadBalancer", Map.of()));
        if (duration.equals("0s")) {
            lb.remove("slowStart");
        } else {
            lb.put("slowStart", duration);
        }
        spec.put("loadBalancer", lb);
        api.cluster().apply(spec);
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!applied(duration)) {
            if (System.nanoTime() > until) throw new IllegalStateException("slow start " + duration + " not applied");
            Thread.sleep(50);
        }
    }

    private boolean applied(String slowStart) throws Exception {
        for (HostInfo host : api.hosts().list()) {
            var lb = host.loadBalancer();
            if (lb.isEmpty()) continue;
            for (ServiceLoad s : lb.get().services()) {
                if (s.service().equals(service) && s.slowStart().equals(slowStart)) return true;
            }
        }
        return false;
    }

    /** Five seconds of the load, not counted: the endpoints' JIT and the connections warm up. */
    private static void warm(URI lb, int rate) throws InterruptedException {
        try (OpenLoad warm = new OpenLoad(lb, rate)) {
            Thread.sleep(5000);
        }
    }

    /** Waits until the server has seen a closed watcher go. */
    private void awaitWatcherGone(String watcher) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (api.registry().watchers(NS, service, Optional.empty()).watchers().stream()
                .anyMatch(w -> w.id().equals(watcher))) {
            if (System.nanoTime() > until) throw new IllegalStateException("watcher " + watcher + " still there");
            Thread.sleep(100);
        }
    }

    /** Restarts each endpoint on {@code version} while it stays registered: its agent's registration paused. */
    private List<Long> naive(String version) throws Exception {
        List<Long> per = new ArrayList<>();
        for (ContainerInfo c : containers()) {
            String id = c.id();
            long oldPid = c.observed().map(ContainerReport::pid).orElse(0L);
            long t0 = System.nanoTime();
            api.cluster().setRegistration(id, Registration.PAUSED);
            api.cluster().setImage(id, version);
            while (true) {
                var seen = api.cluster().container(id).observed();
                if (seen.isPresent() && seen.get().pid() != oldPid && seen.get().healthy()) break;
                Thread.sleep(20);
            }
            api.cluster().setRegistration(id, Registration.ACTIVE);
            per.add((System.nanoTime() - t0) / 1_000_000);
        }
        awaitVersion(version, per.size());
        return per;
    }

    /** Runs a release to its end; fails the run unless it completed. */
    private ReleaseInfo release(String version, String drainTimeout, boolean quiet) throws Exception {
        ReleaseInfo r = api.operations()
                .release(new ReleaseRequest(
                        NS, service, version, null, drainTimeout, null, null, null, null, null, null, null, null));
        String id = r.id();
        while (r.status() == OperationStatus.RUNNING) {
            Thread.sleep(50);
            r = api.operations().getRelease(id);
        }
        if (r.status() != OperationStatus.COMPLETED) {
            throw new IllegalStateException("release " + id + " " + r.status() + ": " + r.reason());
        }
        if (!quiet) System.out.println("  (release to " + version + " between runs, no load: " + r.reason() + ")");
        return r;
    }

    /** Per endpoint, from leaving the registry until registered again on the new version. */
    private static List<Long> perEndpoint(ReleaseInfo r) {
        return between(r, "DRAINING", "DONE");
    }

    private static List<Long> drains(ReleaseInfo r) {
        return r.endpoints().stream().map(ReleaseEndpointInfo::drainMillis).toList();
    }

    /**
     * Per endpoint, its replacement as seen in the run: from the drain's end until it was registered again (the
     * old process stopped, the new one started, its first passing check, the agent's report and the release's
     * next step included).
     */
    private static List<Long> startups(ReleaseInfo r) {
        return between(r, "CHECKING", "DONE");
    }

    private static List<Long> between(ReleaseInfo r, String from, String to) {
        return r.endpoints().stream()
                .map(e ->
                        Duration.between(e.steps().get(from), e.steps().get(to)).toMillis())
                .toList();
    }

    private static void report(
            String name,
            Tally load,
            long tookNanos,
            List<Long> per,
            List<Long> drains,
            List<Long> replaced,
            long demoStartup) {
        var h = load.latency.getIntervalHistogram();
        System.out.printf(
                Locale.ROOT,
                "%s: release %.1f s; requests %d sent, %d failed (%.3f %%); latency p50 %.1f ms, p99 %.1f ms,"
                        + " max %.1f ms%n",
                name,
                tookNanos / 1e9,
                load.sent.get(),
                load.failed.get(),
                100.0 * load.failed.get() / Math.max(1, load.sent.get()),
                h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0,
                h.getMaxValue() / 1000.0);
        System.out.printf(Locale.ROOT, "    per endpoint: %s%n", stats(per));
        if (!drains.isEmpty()) {
            System.out.printf(Locale.ROOT, "    of which drain: %s%n", stats(drains));
            System.out.printf(
                    Locale.ROOT,
                    "    of which the replacement (stop, start, first passing check, registered): %s%n",
                    stats(replaced));
            List<Long> own = new ArrayList<>();
            for (int i = 0; i < per.size(); i++) own.add(per.get(i) - replaced.get(i));
            System.out.printf(Locale.ROOT, "    per endpoint minus its new process's start-up: %s%n", stats(own));
        } else if (!per.isEmpty()) {
            System.out.printf(
                    Locale.ROOT,
                    "    slowest endpoint minus the demo's start-up outside the platform (%d ms): %d ms%n",
                    demoStartup,
                    Collections.max(per) - demoStartup);
        }
        if (!load.failures.isEmpty()) {
            System.out.println("    first failures: " + load.failures);
        }
    }

    private static String stats(List<Long> values) {
        if (values.isEmpty()) return "none";
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return String.format(
                Locale.ROOT,
                "n=%d min %d ms, median %d ms, max %d ms",
                sorted.size(),
                sorted.get(0),
                sorted.get(sorted.size() / 2),
                sorted.get(sorted.size() - 1));
    }

    private List<ContainerInfo> containers() {
        return api.cluster().containers().stream()
                .filter(c -> c.service().equals(service) && c.desired() == Desired.RUNNING)
                .sorted((a, b) -> a.ordinal() - b.ordinal())
                .toList();
    }

    private void awaitVersion(String version, int n) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < until) {
            int up = 0;
            for (EndpointInfo e : api.registry().endpoints(NS, service).endpoints()) {
                if (e.state() == EndpointState.UP && e.version().equals(version)) up++;
            }
            if (up == n) return;
            Thread.sleep(50);
        }
        throw new IllegalStateException("fewer than " + n + " endpoints UP on " + version);
    }

    /**
     * A watcher of the service that declares it acknowledges and never does: every drain runs to its timeout,
     * as with a fixed wait.
     */
    private Stuck stuckWatcher() throws Exception {
        HttpResponse<InputStream> r = http.send(
                HttpRequest.newBuilder(base.resolve("/v1/namespaces/" + NS + "/services/" + service
                                + "/endpoints?watcher=fixed-timer&acknowledge=true"))
                        .header("Accept", "text/event-stream")
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        return new Stuck(r.body());
    }

    private record Stuck(InputStream body) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            body.close();
        }
    }

    /** Milliseconds from {@code java -jar demo.jar} until its port accepts a connection. */
    private static long demoStartup(String java, Path jar, int port) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(java, "-jar", jar.toString()).redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = pb.environment();
        env.put("WHARF_IP", "127.0.0.1");
        env.put("PORT", Integer.toString(port));
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            while (true) {
                try (Socket ignored = new Socket("127.0.0.1", port)) {
                    return (System.nanoTime() - t0) / 1_000_000;
                } catch (java.io.IOException notYet) {
                    if (!p.isAlive()) throw new IllegalStateException("demo exited with " + p.exitValue());
                    Thread.sleep(5);
                }
            }
        } finally {
            p.destroy();
            p.waitFor();
        }
    }
}
