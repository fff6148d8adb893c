package io.wharf.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.wharf.client.wire.ContainerReport;
import io.wharf.client.wire.ContainerState;
import io.wharf.client.wire.Heartbeat;
import io.wharf.client.wire.LoadBalancerReport;
import io.wharf.client.wire.Traffic;
import io.wharf.client.wire.Usage;
import io.wharf.core.cluster.HostRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HostStateTest {
    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    static final Duration LOST = Duration.ofSeconds(3);

    static ContainerReport container(long pid, double cpuSeconds, long read, long written) {
        return new ContainerReport(
                "default.web.0",
                ContainerState.RUNNING,
                pid,
                true,
                true,
                0,
                "",
                50L << 20,
                cpuSeconds,
                "web:v1",
                3,
                4096,
                read,
                written);
    }

    static Heartbeat beat(ContainerReport c, long toEndpoint, long fromEndpoint) {
        return new Heartbeat(
                new Usage(0, 0, 0, 0),
                List.of(c),
                new LoadBalancerReport(
                        "127.0.0.1",
                        Map.of(),
                        Map.of(),
                        List.of(),
                        Map.of("127.0.60.2", new Traffic(toEndpoint, fromEndpoint))),
                List.of());
    }

    static Optional<HostState.NetRate> traffic(HostState h) {
        return Optional.ofNullable(h.traffic().get("127.0.60.2"));
    }

    @Test
    @DisplayName("CPU, storage I/O and each container's traffic through the load balancer are rates between the"
            + " last two reports; a new process or a counter that went back starts again")
    void ratesBetweenReports() {
        HostState h = new HostState(new HostRecord("a", "127.0.0.1", "127.0.60.0/24", 2000, 4096, T0, "process"));
        h.reported(T0, beat(container(100, 10.0, 1000, 2000), 5_000, 50_000), LOST);
        assertThat(h.rates("default.web.0")).isEmpty();
        // the first report of an address counts from nothing
        assertThat(traffic(h)).isEmpty();

        h.reported(T0.plusMillis(500), beat(container(100, 10.25, 1000, 6000), 6_000, 60_000), LOST);
        HostState.Rates r = h.rates("default.web.0").orElseThrow();
        assertThat(r.cpuCores()).isCloseTo(0.5, within(1e-9));
        assertThat(r.diskRead()).isZero();
        assertThat(r.diskWrite()).isCloseTo(8000, within(1e-9));
        assertThat(traffic(h).orElseThrow().in()).isCloseTo(2000, within(1e-9));
        assertThat(traffic(h).orElseThrow().out()).isCloseTo(20_000, within(1e-9));

        // restarted as another process: no rate until it has two reports
        h.reported(T0.plusMillis(1000), beat(container(200, 0.1, 0, 0), 7_000, 70_000), LOST);
        assertThat(h.rates("default.web.0")).isEmpty();
        h.reported(T0.plusMillis(1500), beat(container(200, 0.2, 0, 0), 100, 200), LOST);
        assertThat(h.rates("default.web.0").orElseThrow().cpuCores()).isCloseTo(0.2, within(1e-9));
        // the load balancer restarted: its counters went back, which is no negative traffic
        assertThat(traffic(h).orElseThrow().in()).isZero();
    }
}
