package io.wharf.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.client.wire.Desired;
import io.wharf.core.cluster.ContainerRecord;
import io.wharf.core.placement.IpPool;
import io.wharf.core.spec.ServiceSpec;
import io.wharf.core.spec.SpecParser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulerTest {
    private static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
    private static final List<Scheduler.HostView> HOSTS =
            List.of(new Scheduler.HostView("h1", true, IpPool.parse("127.0.50.0/24"), 4000, 8192));
    private static final Scheduler.Reservations NONE = new Scheduler.Reservations() {
        @Override
        public long cpuMillis(ContainerRecord c) {
            return 0;
        }

        @Override
        public long memoryMb(ContainerRecord c) {
            return 0;
        }
    };

    private static ServiceSpec spec(int replicas) {
        return SpecParser.parse(Map.of(
                "name", "web", "image", "demo:v1", "replicas", replicas, "ports", List.of(Map.of("port", 8080))));
    }

    private static List<ContainerRecord> placed(ServiceSpec spec, List<ContainerRecord> rows) {
        return Scheduler.plan(spec, rows, HOSTS, NONE, NOW).place();
    }

    @Test
    void fillsTheLowestFreeOrdinals() {
        List<ContainerRecord> rows = new ArrayList<>(placed(spec(2), List.of()));
        assertThat(rows).extracting(ContainerRecord::ordinal).containsExactly(0, 1);
        assertThat(rows).extracting(ContainerRecord::ip).doesNotHaveDuplicates();
    }

    @Test
    void takesTheOrdinalsAskedForFirst() {
        List<ContainerRecord> rows = new ArrayList<>(placed(spec(1), List.of()));
        var plan = Scheduler.plan(spec(3), rows, HOSTS, NONE, NOW, List.of(7));
        assertThat(plan.place()).extracting(ContainerRecord::ordinal).containsExactly(7, 1);
    }

    @Test
    void ordinalsInUseAreNotTakenTwice() {
        List<ContainerRecord> rows = new ArrayList<>(placed(spec(2), List.of()));
        var plan = Scheduler.plan(spec(3), rows, HOSTS, NONE, NOW, List.of(1));
        assertThat(plan.place()).extracting(ContainerRecord::ordinal).containsExactly(2);
    }

    @Test
    void namesTheHighestOrdinalsOfASurplusWithoutStoppingThem() {
        List<ContainerRecord> rows = new ArrayList<>(placed(spec(3), List.of()));
        var plan = Scheduler.plan(spec(1), rows, HOSTS, NONE, NOW);
        assertThat(plan.surplus()).extracting(ContainerRecord::ordinal).containsExactly(2, 1);
        assertThat(plan.surplus()).allMatch(c -> c.desired() == Desired.RUNNING);
        assertThat(plan.place()).isEmpty();
    }
}
