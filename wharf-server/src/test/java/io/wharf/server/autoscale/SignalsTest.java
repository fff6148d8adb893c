package io.wharf.server.autoscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.wharf.client.wire.ContainerReport;
import io.wharf.client.wire.ContainerState;
import io.wharf.client.wire.Desired;
import io.wharf.client.wire.Registration;
import io.wharf.client.wire.Served;
import io.wharf.core.cluster.ContainerRecord;
import io.wharf.core.spec.ImageRef;
import io.wharf.core.spec.ServiceSpec;
import io.wharf.core.spec.SpecParser;
import io.wharf.server.cluster.ClusterView;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What the autoscaler reads of a service from successive reports. */
class SignalsTest {
    static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");

    private final ServiceSpec spec = SpecParser.parse(Map.of(
            "name",
            "web",
            "image",
            "demo:v1",
            "replicas",
            2,
            "ports",
            List.of(Map.of("port", 8080)),
            "resources",
            Map.of("cpu", 0.5, "memory", "100Mi"),
            "autoscale",
            Map.of("min", 2, "max", 10, "cpu", "50%", "memory", "80%", "latency", "100ms", "requestsPerSecond", 50)));
    private final Signals signals = new Signals();

    /** One container as its agent reported it at {@code at}. */
    private record C(int ordinal, boolean healthy, double cpuSeconds, long rssMb, Instant at, boolean hostReady) {
        C(int ordinal, boolean healthy, double cpuSeconds, long rssMb, Instant at) {
            this(ordinal, healthy, cpuSeconds, rssMb, at, true);
        }
    }

    private ClusterView.ServiceView view(List<C> containers, List<ClusterView.LbView> lbs) {
        List<ClusterView.ContainerView> out = new ArrayList<>();
        for (C c : containers) {
            ContainerRecord row = new ContainerRecord(
                    ContainerRecord.idOf(spec.key(), c.ordinal()),
                    spec.key(),
                    c.ordinal(),
                    "a",
                    new ImageRef("demo", "v1"),
                    "127.0.10." + (2 + c.ordinal()),
                    8080,
                    Desired.RUNNING,
                    Registration.ACTIVE,
                    T0,
                    T0);
            out.add(new ClusterView.ContainerView(
                    row,
                    Optional.of(new ContainerReport(
                            row.id(),
                            ContainerState.RUNNING,
                            100,
                            c.healthy(),
                            c.healthy(),
                            0,
                            "",
                            c.rssMb() << 20,
                            c.cpuSeconds(),
                            "demo:v1",
                            3,
                            0,
                            0,
                            0)),
                    c.hostReady(),
                    T0,
                    Optional.of(c.at())));
        }
        return new ClusterView.ServiceView(
                spec.key(), Optional.of(spec), 2, out, Map.of(), Map.of(), 0, List.of(), lbs);
    }

    private static Reading reading(Signals.Readings r, Metric m) {
        return r.readings().stream().filter(x -> x.metric() == m).findFirst().orElseThrow();
    }

    @Test
    @DisplayName("cpu: each container's CPU time over about a second of reports, in percent of its reservation,"
            + " averaged over the containers serving; memory: resident, in percent of its limit")
    void cpuAndMemory() {
        signals.read(view(List.of(new C(0, true, 10, 40, T0), new C(1, true, 20, 60, T0)), List.of()), specAuto(), T0);
        Instant t1 = T0.plusSeconds(1);
        Signals.Readings r = signals.read(
                view(List.of(new C(0, true, 10.4, 40, t1), new C(1, true, 20.2, 60, t1)), List.of()), specAuto(), t1);
        // 0.4 and 0.2 cores of a 0.5-core reservation: 80 % and 40 %
        assertThat(reading(r, Metric.CPU).value()).isCloseTo(60, within(0.01));
        assertThat(reading(r, Metric.CPU).complete()).isTrue();
        assertThat(reading(r, Metric.MEMORY).value()).isCloseTo(50, within(0.01));
        assertThat(r.ready()).isEqualTo(2);
    }

    @Test
    @DisplayName("a container whose agent went quiet counts as idle and makes the readings incomplete;"
            + " one failing its checks is not counted as capacity")
    void missingData() {
        signals.read(view(List.of(new C(0, true, 10, 40, T0), new C(1, true, 20, 60, T0)), List.of()), specAuto(), T0);
        Instant t5 = T0.plusSeconds(5);
        // container 1's agent has not reported since T0
        Signals.Readings r = signals.read(
                view(List.of(new C(0, true, 12, 40, t5), new C(1, true, 20, 60, T0)), List.of()), specAuto(), t5);
        assertThat(r.ready()).isEqualTo(2);
        assertThat(reading(r, Metric.CPU).value()).isCloseTo(40, within(0.01)); // (80 + 0) / 2
        assertThat(reading(r, Metric.CPU).complete()).isFalse();
        assertThat(reading(r, Metric.MEMORY).complete()).isFalse();

        Signals.Readings sick = signals.read(
                view(List.of(new C(0, true, 12, 40, t5), new C(1, false, 20, 60, t5)), List.of()), specAuto(), t5);
        assertThat(sick.current()).isEqualTo(2);
        assertThat(sick.ready()).isEqualTo(1);
        assertThat(reading(sick, Metric.CPU).complete()).isTrue();

        // container 1's host is lost: its last report, however recent, does not count
        Signals.Readings lost = signals.read(
                view(List.of(new C(0, true, 12, 40, t5), new C(1, true, 20, 60, t5, false)), List.of()),
                specAuto(),
                t5);
        assertThat(lost.ready()).isEqualTo(2);
        assertThat(reading(lost, Metric.CPU).complete()).isFalse();
    }

    @Test
    @DisplayName("latency: the p95 of what the load balancers answered over the last two seconds;"
            + " requests per second per serving container")
    void latencyAndRequests() {
        ClusterView.ServiceView before = view(
                List.of(new C(0, true, 0, 1, T0), new C(1, true, 0, 1, T0)),
                List.of(lb(T0, Map.of("127.0.10.2_8080", served(0, 0)))));
        signals.read(before, specAuto(), T0);
        Instant t2 = T0.plusSeconds(2);
        // 200 requests in 2 s through the two containers: 95 at 10 ms and 5 at 300 ms on each
        ClusterView.ServiceView after = view(
                List.of(new C(0, true, 0, 1, t2), new C(1, true, 0, 1, t2)),
                List.of(lb(t2, Map.of("127.0.10.2_8080", served(95, 5), "127.0.10.3_8080", served(95, 5)))));
        Signals.Readings r = signals.read(after, specAuto(), t2);
        assertThat(reading(r, Metric.REQUESTS).value()).isCloseTo(50, within(0.01)); // 200 / 2 s / 2
        assertThat(reading(r, Metric.LATENCY).value()).isCloseTo(10, within(0.1));

        // the next 2 s are slow: 100 % at 300 ms; what came before no longer counts
        Instant t4 = T0.plusSeconds(4);
        ClusterView.ServiceView slow = view(
                List.of(new C(0, true, 0, 1, t4), new C(1, true, 0, 1, t4)),
                List.of(lb(t4, Map.of("127.0.10.2_8080", served(95, 105), "127.0.10.3_8080", served(95, 105)))));
        Signals.Readings s = signals.read(slow, specAuto(), t4);
        assertThat(reading(s, Metric.LATENCY).value()).isCloseTo(300, within(3.0));
    }

    private io.wharf.core.spec.AutoscaleSpec specAuto() {
        return spec.autoscale().orElseThrow();
    }

    private static ClusterView.LbView lb(Instant at, Map<String, Served> served) {
        return new ClusterView.LbView("a", true, 1, Map.of(), served, at);
    }

    /** What a load balancer counted of one endpoint since it joined: {@code fast} at 10 ms, {@code slow} at 300. */
    private static Served served(int fast, int slow) {
        Histogram h = new Histogram(3);
        if (fast > 0) h.recordValueWithCount(10_000, fast);
        if (slow > 0) h.recordValueWithCount(300_000, slow);
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(buffer);
        return new Served(
                fast + slow,
                0,
                fast * 10_000L + slow * 300_000L,
                Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), n)));
    }
}
