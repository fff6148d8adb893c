package io.wharf.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.wharf.client.wire.Desired;
import io.wharf.core.cluster.ContainerRecord;
import io.wharf.core.placement.IpPool;
import io.wharf.core.spec.ServiceSpec;
import io.wharf.core.spec.SpecParser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
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

    private static ServiceSpec withVolume(int replicas, String size) {
        return SpecParser.parse(Map.of(
                "name",
                "db",
                "image",
                "demo:v1",
                "replicas",
                replicas,
                "ports",
                List.of(Map.of("port", 5432)),
                "volumes",
                List.of(Map.of("name", "data", "size", size))));
    }

    @Test
    @DisplayName("002.1 an ordinal with volumes goes back to their host and IP, even where another host is emptier")
    void volumesPinTheirOrdinal() {
        var hosts = List.of(
                new Scheduler.HostView("h1", true, IpPool.parse("127.0.50.0/24"), 4000, 8192, 10_000),
                new Scheduler.HostView("h2", true, IpPool.parse("127.0.51.0/24"), 4000, 8192, 10_000));
        Scheduler.Pins pins =
                o -> o == 0 ? Optional.of(new Scheduler.Pin("h1", "127.0.50.9", false)) : Optional.empty();
        var plan = Scheduler.plan(withVolume(2, "1Gi"), List.of(), hosts, NONE, NOW, List.of(), pins);
        assertThat(plan.place())
                .extracting(ContainerRecord::ordinal, ContainerRecord::hostId, ContainerRecord::ip)
                .containsExactly(tuple(0, "h1", "127.0.50.9"), tuple(1, "h2", "127.0.51.2"));
        assertThat(plan.pending()).isEmpty();
    }

    @Test
    @DisplayName("an image goes only to hosts whose runtime runs it; with none, it waits and says why")
    void placesByRuntime() {
        var hosts = List.of(
                new Scheduler.HostView(
                        "p1", true, IpPool.parse("127.0.50.0/24"), 4000, 8192, Long.MAX_VALUE, "process", false),
                new Scheduler.HostView(
                        "d1", true, IpPool.parse("127.0.51.0/24"), 4000, 8192, Long.MAX_VALUE, "docker", true));
        var plan = Scheduler.plan(spec(3), List.of(), hosts, NONE, NOW);
        assertThat(plan.place()).extracting(ContainerRecord::hostId).containsOnly("d1");
        assertThat(plan.place()).hasSize(3);

        var none = List.of(new Scheduler.HostView(
                "p1", true, IpPool.parse("127.0.50.0/24"), 4000, 8192, Long.MAX_VALUE, "process", false));
        var waits = Scheduler.plan(spec(2), List.of(), none, NONE, NOW);
        assertThat(waits.place()).isEmpty();
        assertThat(waits.unplaced()).isEqualTo(2);
        assertThat(waits.pending())
                .isEqualTo("web-0 waits: no host's runtime runs its image demo:v1 (hosts: p1 process); Docker images"
                        + " run on agents started with --runtime docker, packages on --runtime process");
    }

    @Test
    @DisplayName("002.1 an ordinal whose volumes are on a lost host waits there, and says so")
    void aLostHostKeepsItsOrdinalsPending() {
        var hosts = List.of(
                new Scheduler.HostView("h1", false, IpPool.parse("127.0.50.0/24"), 4000, 8192, 10_000),
                new Scheduler.HostView("h2", true, IpPool.parse("127.0.51.0/24"), 4000, 8192, 10_000));
        Scheduler.Pins pins = o -> Optional.of(new Scheduler.Pin("h1", "127.0.50.1", o == 1));
        var plan = Scheduler.plan(withVolume(1, "1Gi"), List.of(), hosts, NONE, NOW, List.of(), pins);
        assertThat(plan.place()).isEmpty();
        assertThat(plan.unplaced()).isEqualTo(1);
        assertThat(plan.pending())
                .isEqualTo("db-0 waits: its volumes are on host h1, which is lost; it starts there when the host is"
                        + " back (or delete its volumes: wharf delete volume db-0)");
        var deleting = Scheduler.plan(withVolume(1, "1Gi"), List.of(), hosts, NONE, NOW, List.of(1), pins);
        assertThat(deleting.pending()).isEqualTo("db-1 waits: its volumes on host h1 are being deleted");
    }

    @Test
    @DisplayName("002.1 new volumes need their size free on the host's disk")
    void volumesNeedDisk() {
        var small = List.of(new Scheduler.HostView("h1", true, IpPool.parse("127.0.50.0/24"), 4000, 8192, 1000));
        var plan = Scheduler.plan(withVolume(1, "2Gi"), List.of(), small, NONE, NOW, List.of(), Scheduler.Pins.NONE);
        assertThat(plan.place()).isEmpty();
        assertThat(plan.pending()).isEqualTo("db-0 waits: no ready host has 2048 MiB of disk for volumes, a free IP");
        assertThat(Scheduler.plan(withVolume(1, "512Mi"), List.of(), small, NONE, NOW, List.of(), Scheduler.Pins.NONE)
                        .place())
                .hasSize(1);
        // volumes placed by one plan count against each other
        var two = Scheduler.plan(withVolume(3, "400Mi"), List.of(), small, NONE, NOW, List.of(), Scheduler.Pins.NONE);
        assertThat(two.place()).hasSize(2);
        assertThat(two.unplaced()).isEqualTo(1);
    }
}
