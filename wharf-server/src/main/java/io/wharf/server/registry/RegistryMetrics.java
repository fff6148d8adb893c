package io.wharf.server.registry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.wharf.client.wire.EndpointState;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/** The registry's meters: endpoints by state, watchers, the revision, and how fast changes reach watchers. */
public final class RegistryMetrics implements ServiceSlot.StateCounts {
    private final Map<EndpointState, LongAdder> byState = new EnumMap<>(EndpointState.class);
    private final Timer pushLatency;
    private final Counter cutOffs;
    private final Counter expiredLeases;

    RegistryMetrics(MeterRegistry meters, Registry registry) {
        for (EndpointState state : EndpointState.values()) {
            LongAdder adder = new LongAdder();
            byState.put(state, adder);
            Gauge.builder("wharf.registry.endpoints", adder, LongAdder::sum)
                    .description("Endpoints in the registry, by state")
                    .tag("state", state.name())
                    .register(meters);
        }
        for (Watcher.Kind kind : Watcher.Kind.values()) {
            ToDoubleFunction<Registry> count = r -> r.watchers().count(kind);
            Gauge.builder("wharf.registry.watchers", registry, count)
                    .description("Watchers of services, by kind")
                    .tag("kind", kind.name().toLowerCase(java.util.Locale.ROOT))
                    .register(meters);
        }
        Gauge.builder("wharf.registry.revision", registry, Registry::revision)
                .description("The registry's latest revision")
                .register(meters);
        Gauge.builder("wharf.registry.leases", registry, Registry::leaseCount)
                .description("Live leases")
                .register(meters);
        pushLatency = Timer.builder("wharf.registry.push.latency")
                .description("From a change in the registry to its delivery to a watcher")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(meters);
        cutOffs = Counter.builder("wharf.registry.watchers.cut.off")
                .description("Watchers cut off for falling behind")
                .register(meters);
        expiredLeases = Counter.builder("wharf.registry.leases.expired")
                .description("Leases that lapsed without a heartbeat")
                .register(meters);
    }

    @Override
    public void moved(@Nullable EndpointState from, @Nullable EndpointState to) {
        if (from == to) {
            return;
        }
        if (from != null) byState.get(from).decrement();
        if (to != null) byState.get(to).increment();
    }

    /** Records that {@code event} has just been delivered to a watcher. */
    public void delivered(ChangeEvent event) {
        pushLatency.record(System.nanoTime() - event.madeAtNanos(), TimeUnit.NANOSECONDS);
    }

    /** Records that a watcher was cut off. */
    public void cutOff() {
        cutOffs.increment();
    }

    void leaseExpired() {
        expiredLeases.increment();
    }

    long endpoints(EndpointState state) {
        return byState.get(state).sum();
    }
}
