package io.wharf.bench;

import io.wharf.client.sdk.Discovery;
import io.wharf.client.sdk.Instance;
import io.wharf.client.sdk.Rule;
import io.wharf.client.sdk.Wharf;
import io.wharf.client.sdk.spi.RegistryInterface;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one pick costs an SDK view, by rule, among {@code instances} instances of equal weight: {@code pick()}
 * (or {@code pick(key)} for consistent hashing) with no call in flight and with one in flight on every instance
 * (least connections then reads every count), and {@code start()} + {@code close()}. The view is filled through the public API, by a registry interface that hands it a fixed list.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class PickBench {
    @Param({"10", "100"})
    int instances;

    @Param({"ROUND_ROBIN", "WEIGHTED_ROUND_ROBIN", "LEAST_CONNECTIONS", "POWER_OF_TWO_CHOICES", "CONSISTENT_HASH"})
    Rule rule;

    Wharf sdk;
    Discovery view;
    /** The same service by the same rule, every instance with one call in flight: what a busy client sees. */
    Discovery busy;

    String[] keys;
    int next;

    @Setup
    public void setUp() {
        List<Instance> list = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            list.add(new Instance("default", "orders", "127.0.80." + (i + 1), 8080, "v1", 100, true, Map.of()));
        }
        sdk = Wharf.builder("http://127.0.0.1:1")
                .registry(new Fixed(list))
                .deregisterOnShutdown(false)
                .build();
        view = sdk.discover("orders", rule);
        Wharf other = Wharf.builder("http://127.0.0.1:1")
                .registry(new Fixed(list))
                .deregisterOnShutdown(false)
                .build();
        busyOwner = other;
        busy = other.discover("orders", rule);
        // one call in flight on each instance (least connections spreads them one each; for the others it does
        // not matter how they fall)
        for (int i = 0; i < instances; i++) busy.start().orElseThrow();
        keys = new String[1024];
        for (int i = 0; i < keys.length; i++) keys[i] = "user-" + i;
    }

    Wharf busyOwner;

    @TearDown
    public void tearDown() {
        sdk.close();
        busyOwner.close();
    }

    @Benchmark
    public Object pick() {
        if (rule == Rule.CONSISTENT_HASH) return view.pick(keys[next++ & 1023]).orElseThrow();
        return view.pick().orElseThrow();
    }

    @Benchmark
    public Object pickWhileBusy() {
        if (rule == Rule.CONSISTENT_HASH) return busy.pick(keys[next++ & 1023]).orElseThrow();
        return busy.pick().orElseThrow();
    }

    @Benchmark
    public Object startAndClose() {
        Discovery.Call c = view.start().orElseThrow();
        c.close();
        return c;
    }

    /** A registry interface that shows every view the same list at once. */
    static final class Fixed implements RegistryInterface {
        private final List<Instance> list;

        Fixed(List<Instance> list) {
            this.list = list;
        }

        @Override
        public String describe() {
            return "fixed";
        }

        @Override
        public Registered register(Instance instance) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Subscription subscribe(String namespace, String service, Listener listener) {
            listener.instances(list);
            return () -> {};
        }

        @Override
        public void close() {}
    }
}
