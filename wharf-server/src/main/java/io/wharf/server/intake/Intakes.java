package io.wharf.server.intake;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.wharf.client.wire.EndpointState;
import io.wharf.client.wire.IntakeInfo;
import io.wharf.core.registry.ServiceKey;
import io.wharf.core.spec.IntakeSpec;
import io.wharf.core.spec.ServiceSpec;
import io.wharf.intake.Dispatcher;
import io.wharf.intake.IntakeNode;
import io.wharf.intake.Results;
import io.wharf.intake.Sequencer;
import io.wharf.intake.ServiceCaller;
import io.wharf.intake.log.EmbeddedLog;
import io.wharf.intake.log.IntakeLog;
import io.wharf.intake.log.IntakeLogs;
import io.wharf.server.cluster.Cluster;
import io.wharf.server.registry.Registry;
import io.wharf.store.IntakeResultStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the fair intakes the service specs ask for, in the server's process (the embedded mode): for each
 * service with an {@code intake} block, an intake instance listening on its port, the sequencer and the
 * dispatcher, over the log its block names (the embedded one in the server's data directory, or Redis Streams)
 * and the results table of its store.
 * Level-triggered: after every apply it compares what runs with what the specs say, and starts, restarts
 * (when the block changed) or stops intakes to match.
 */
public final class Intakes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Intakes.class);
    /** How long an intake partition may stay silent before the sequencer stops waiting for it. */
    static final Duration IDLE_AFTER = Duration.ofSeconds(2);

    private final Cluster cluster;
    private final Registry registry;
    private final IntakeResultStore store;
    /** Made with the log, when the first intake starts: a server without intakes runs no writer. */
    private Results results;

    private final String host;
    private final Clock clock;
    private final Path dir;
    /** The logs intakes run on, by backend, opened with the first intake on each. */
    private final Map<String, IntakeLog> logs = new HashMap<>();

    private final Map<ServiceKey, Running> running = new HashMap<>();
    private final MeterRegistry meters;

    private record Running(
            IntakeSpec spec, IntakeNode node, Sequencer sequencer, Dispatcher dispatcher, List<Meter> meters) {
        void stop(MeterRegistry registry) {
            meters.forEach(registry::remove);
            node.close();
            dispatcher.close();
            sequencer.close();
        }
    }

    /**
     * @param dir where the embedded log is kept
     * @param host the address intakes listen on (the API's)
     */
    public Intakes(
            Cluster cluster,
            Registry registry,
            IntakeResultStore store,
            Path dir,
            String host,
            Clock clock,
            MeterRegistry meters) {
        this.meters = meters;
        this.cluster = cluster;
        this.registry = registry;
        this.store = store;
        this.dir = dir;
        this.host = host;
        this.clock = clock;
    }

    private long micros() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }

    /** Brings the running intakes in line with the specs. */
    public synchronized void reconcile() {
        Map<ServiceKey, IntakeSpec> wanted = new HashMap<>();
        for (ServiceSpec s : cluster.specs().all()) s.intake().ifPresent(i -> wanted.put(s.key(), i));
        for (var e : List.copyOf(running.entrySet())) {
            IntakeSpec want = wanted.get(e.getKey());
            if (want == null || !want.equals(e.getValue().spec())) {
                e.getValue().stop(meters);
                running.remove(e.getKey());
                log.info("intake stopped service={}", e.getKey());
            }
        }
        for (var e : wanted.entrySet()) {
            if (running.containsKey(e.getKey())) continue;
            try {
                running.put(e.getKey(), start(e.getKey(), e.getValue()));
            } catch (IOException | RuntimeException x) {
                log.error(
                        "intake of {} could not start on port {}: {}",
                        e.getKey(),
                        e.getValue().port(),
                        x.toString());
            }
        }
    }

    private Running start(ServiceKey key, IntakeSpec spec) throws IOException {
        IntakeLog logs = log(spec.backend());
        if (results == null) results = new Results(store);
        String name = key.namespace() + "." + key.service();
        Sequencer sequencer = Sequencer.start(logs, name, spec.skew(), IDLE_AFTER, this::micros);
        Dispatcher dispatcher = null;
        try {
            dispatcher = Dispatcher.start(
                    logs,
                    name,
                    spec.maxInFlight(),
                    100_000,
                    new ServiceCaller(
                            key,
                            () -> endpoints(key),
                            results,
                            spec.timeout(),
                            this::micros,
                            ServiceCaller.Replies.SAME_PROCESS));
            IntakeNode node = IntakeNode.start(
                    IntakeNode.Settings.of(name, "server", spec),
                    logs,
                    results,
                    this::micros,
                    new InetSocketAddress(host, spec.port()));
            log.info("intake started service={} address={}:{} skew={}", key, host, spec.port(), spec.skew());
            Dispatcher d = dispatcher;
            Tags tags = Tags.of("namespace", key.namespace(), "service", key.service());
            List<Meter> registered = List.of(
                    FunctionCounter.builder("wharf_intake_ordered", sequencer, Sequencer::released)
                            .description("requests written to the ordered stream")
                            .tags(tags)
                            .register(meters),
                    FunctionCounter.builder("wharf_intake_late", sequencer, Sequencer::late)
                            .description("requests that came after their place had passed")
                            .tags(tags)
                            .register(meters),
                    Gauge.builder("wharf_intake_held", sequencer, Sequencer::held)
                            .description("requests held for re-ordering")
                            .tags(tags)
                            .register(meters),
                    Gauge.builder("wharf_intake_watermark_lag_seconds", sequencer, s -> lagMillis(s) / 1000.0)
                            .description("how far the watermark is behind now")
                            .tags(tags)
                            .register(meters),
                    FunctionCounter.builder("wharf_intake_dispatched", d, Dispatcher::done)
                            .description("requests handled, their result stored")
                            .tags(tags)
                            .register(meters),
                    Gauge.builder("wharf_intake_waiting", d, Dispatcher::waiting)
                            .description("requests read from the ordered stream, not yet handled")
                            .tags(tags)
                            .register(meters));
            return new Running(spec, node, sequencer, dispatcher, registered);
        } catch (IOException | RuntimeException e) {
            if (dispatcher != null) dispatcher.close();
            sequencer.close();
            throw e;
        }
    }

    private IntakeLog log(String backend) throws IOException {
        IntakeLog l = logs.get(backend);
        if (l == null) {
            l = backend.equals(IntakeSpec.EMBEDDED) ? EmbeddedLog.open(dir) : IntakeLogs.open(backend, "wharf");
            logs.put(backend, l);
        }
        return l;
    }

    /** The service's endpoints that take traffic, as {@code ip:port}. */
    private List<String> endpoints(ServiceKey key) {
        try {
            return registry.endpoints(key).stream()
                    .filter(e -> e.endpoint().state() == EndpointState.UP)
                    .map(e -> e.endpoint().id().ip() + ":" + e.endpoint().id().port())
                    .toList();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private long lagMillis(Sequencer s) {
        long w = s.watermark();
        return w == Long.MIN_VALUE ? -1 : Math.max(0, (micros() - w) / 1000);
    }

    /** The intake of {@code key} as it runs, if it does. */
    public synchronized Optional<IntakeInfo> info(ServiceKey key) {
        return Optional.ofNullable(running.get(key))
                .map(r -> new IntakeInfo(
                        key.namespace(),
                        key.service(),
                        r.node().address().getHostString() + ":"
                                + r.node().address().getPort(),
                        shown(r.spec().backend()),
                        r.spec().skew().toMillis(),
                        lagMillis(r.sequencer()),
                        r.sequencer().held(),
                        r.sequencer().released(),
                        r.sequencer().late(),
                        r.dispatcher().done(),
                        r.dispatcher().waiting()));
    }

    /** {@code backend} without a password it may hold. */
    static String shown(String backend) {
        return backend.replaceFirst("//[^@/]*@", "//");
    }

    @Override
    public synchronized void close() {
        running.values().forEach(r -> r.stop(meters));
        running.clear();
        if (results != null) results.close();
        logs.values().forEach(IntakeLog::close);
        logs.clear();
    }
}
