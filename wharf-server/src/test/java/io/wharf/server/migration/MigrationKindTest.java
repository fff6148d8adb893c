package io.wharf.server.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.client.wire.ClientDesired;
import io.wharf.client.wire.ClientReport;
import io.wharf.client.wire.DesiredInterface;
import io.wharf.client.wire.InterfaceState;
import io.wharf.client.wire.MigrationRequest;
import io.wharf.client.wire.OperationStatus;
import io.wharf.core.InvalidInputException;
import io.wharf.core.Violation;
import io.wharf.core.cluster.ImageRecord;
import io.wharf.server.clients.Clients;
import io.wharf.server.cluster.ClusterView;
import io.wharf.server.operation.Step;
import io.wharf.store.OperationRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The migration's steps against a simulated fleet of SDK instances that take what they are told at each report,
 * as the SDK does: the happy path, and every reason to switch back.
 */
class MigrationKindTest {
    static final String ZK = "zookeeper://127.0.0.1:2181/services";
    static final String DIGEST = "ab".repeat(32);

    final MigrationKind kind = new MigrationKind();
    Instant now = Instant.parse("2026-12-01T10:00:00Z");
    final Instant serverStart = now.minusSeconds(60);

    /** One SDK instance as the migration sees it through its reports. */
    static final class Sim {
        final String name;
        final boolean provider;
        final boolean consumer;
        final List<String> interfaces = new ArrayList<>(List.of("zookeeper"));
        String primary = "zookeeper";
        /** Whether the new interface works: registers and shows what it should. */
        boolean newWorks = true;
        /** Whether it stops taking what it is told (a frozen or slow instance). */
        boolean stuck;

        String error = "";
        long calls;
        long failures;
        int failEvery; // a failed call every so many calls through the new interface; 0 for none

        Sim(String name, boolean provider, boolean consumer) {
            this.name = name;
            this.provider = provider;
            this.consumer = consumer;
        }

        ClientReport report(int providers) {
            Map<String, Map<String, Integer>> follows = new TreeMap<>();
            if (consumer) {
                Map<String, Integer> counts = new TreeMap<>();
                for (String i : interfaces) counts.put(i, i.equals("zookeeper") || newWorks ? providers : 0);
                follows.put("orders", counts);
            }
            Map<String, InterfaceState> states = new LinkedHashMap<>();
            for (String i : interfaces) {
                boolean isNew = !i.equals("zookeeper");
                states.put(
                        i,
                        new InterfaceState(
                                provider ? 1 : 0, isNew ? calls : 0, isNew ? failures : 0, isNew ? DIGEST : ""));
            }
            return new ClientReport(
                    interfaces,
                    primary,
                    provider ? List.of("orders/127.0.1." + name.hashCode() % 200 + "_8080") : List.of(),
                    follows,
                    states,
                    error,
                    null);
        }

        void take(ClientDesired d) {
            if (stuck) return;
            interfaces.clear();
            for (DesiredInterface i : d.interfaces()) interfaces.add(i.name());
            primary = d.primary();
        }

        void call() {
            if (!consumer || !primary.equals("native")) return;
            calls += 100;
            if (failEvery > 0) failures += 100 / failEvery;
        }
    }

    MigrationState start(String verify) {
        List<Clients.Seen> seen =
                List.of(new Clients.Seen("default", "c-0", new Sim("c-0", false, true).report(2), now));
        return MigrationPlan.create(
                new MigrationRequest(
                        null,
                        ZK,
                        "native",
                        null,
                        "wharf-interface-native:1",
                        List.of(),
                        verify,
                        null,
                        null,
                        null,
                        "20s"),
                seen,
                ref -> Optional.of(new ImageRecord(ref, DIGEST, 4096, "p.jar", "", now)),
                "mig-1",
                now);
    }

    /** Runs steps every 500 ms, the fleet taking what it is told between them, until the migration ends. */
    Step<MigrationState> run(MigrationState m, List<Sim> fleet, List<String> phases, int maxSteps) {
        int providers = (int) fleet.stream().filter(s -> s.provider).count();
        for (int i = 0; i < maxSteps; i++) {
            List<Clients.Seen> seen = new ArrayList<>();
            for (Sim s : fleet) seen.add(new Clients.Seen("default", s.name, s.report(providers), now));
            ClusterView view = new ClusterView(now, Map.of(), Map.of(), Map.of())
                    .withClients(new ClusterView.ClientsView(serverStart, seen));
            Step<MigrationState> step = kind.step(m, view);
            m = step.state();
            if (phases.isEmpty()
                    || !phases.get(phases.size() - 1).equals(m.phase().label())) {
                phases.add(m.phase().label());
            }
            if (!(step instanceof Step.Continue<MigrationState>)) return step;
            for (Sim s : fleet) {
                s.take(Wanted.of(m, m.phase(), Wanted.roles(m, s.report(providers))));
                s.call();
            }
            now = now.plusMillis(500);
        }
        throw new AssertionError("did not end in " + maxSteps + " steps; at " + m.phase() + ": " + m.steps());
    }

    static List<Sim> fleet() {
        return new ArrayList<>(List.of(
                new Sim("p-0", true, false),
                new Sim("p-1", true, false),
                new Sim("c-0", false, true),
                new Sim("c-1", false, true),
                new Sim("pc-0", true, true)));
    }

    @Test
    @DisplayName("providers attach, consumers attach, verify, switch, watch, consumers then providers unload")
    void happyPath() {
        List<Sim> fleet = fleet();
        List<String> phases = new ArrayList<>();
        Step<MigrationState> end = run(start("5s"), fleet, phases, 200);

        assertThat(end).isInstanceOf(Step.Done.class);
        assertThat(phases)
                .containsExactly(
                        "providers-attach",
                        "consumers-attach",
                        "verify",
                        "switch",
                        "watch",
                        "consumers-detach",
                        "providers-detach",
                        "done");
        assertThat(((Step.Done<MigrationState>) end).summary())
                .isEqualTo("moved 5 SDK instances (3 providers, 3 consumers) of orders from zookeeper to native");
        assertThat(fleet).allSatisfy(s -> {
            assertThat(s.interfaces).containsExactly("native");
            assertThat(s.primary).isEqualTo("native");
        });
        MigrationState m = end.state();
        assertThat(m.steps()).extracting(MigrationState.Entry::step).startsWith("published", "providers-attach");
        // the verify window was kept
        Instant verify = m.steps().get(3).startedAt();
        Instant switched = m.steps().get(4).startedAt();
        assertThat(Duration.between(verify, switched)).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
        assertThat(m.steps().get(5).note()).matches("[\\d,]+ calls through native, 0 failed");
    }

    @Test
    @DisplayName("a consumer that is a provider too keeps the old interface until the providers' step")
    void bothRolesKeepTheOldInterfaceForTheirRegistrations() {
        MigrationState m = start("5s");
        Wanted.Roles both = new Wanted.Roles(true, true);
        Wanted.Roles consumer = new Wanted.Roles(false, true);
        Wanted.Roles provider = new Wanted.Roles(true, false);
        assertThat(names(Wanted.of(m, Phase.PROVIDERS_ATTACH, consumer))).containsExactly("zookeeper*");
        assertThat(names(Wanted.of(m, Phase.PROVIDERS_ATTACH, provider))).containsExactly("zookeeper*", "native");
        assertThat(names(Wanted.of(m, Phase.SWITCH, consumer))).containsExactly("zookeeper", "native*");
        assertThat(names(Wanted.of(m, Phase.SWITCH, provider))).containsExactly("zookeeper*", "native");
        assertThat(names(Wanted.of(m, Phase.CONSUMERS_DETACH, consumer))).containsExactly("native*");
        assertThat(names(Wanted.of(m, Phase.CONSUMERS_DETACH, both))).containsExactly("zookeeper", "native*");
        assertThat(names(Wanted.of(m, Phase.PROVIDERS_DETACH, both))).containsExactly("native*");
        assertThat(names(Wanted.of(m, Phase.SWITCH_BACK, both))).containsExactly("zookeeper*");
        assertThat(Wanted.of(m, Phase.PROVIDERS_ATTACH, provider)
                        .interfaces()
                        .get(1)
                        .packageDigest())
                .isEqualTo(DIGEST);
    }

    static List<String> names(ClientDesired d) {
        return d.interfaces().stream()
                .map(i -> i.name() + (i.name().equals(d.primary()) ? "*" : ""))
                .toList();
    }

    @Test
    @DisplayName("a new interface that shows no addresses is switched back once the difference lasts, with why")
    void brokenInterfaceIsSwitchedBack() {
        List<Sim> fleet = fleet();
        fleet.forEach(s -> s.newWorks = false);
        List<String> phases = new ArrayList<>();
        Step<MigrationState> end = run(start("30s"), fleet, phases, 200);

        assertThat(end).isInstanceOf(Step.Failed.class);
        assertThat(phases)
                .containsExactly("providers-attach", "consumers-attach", "verify", "switch-back", "switched-back");
        assertThat(((Step.Failed<MigrationState>) end).reason())
                .startsWith("switched back to zookeeper: the interfaces disagree for 3s: c-0 sees orders at 3"
                        + " addresses through zookeeper and 0 through native");
        assertThat(fleet).allSatisfy(s -> assertThat(s.interfaces).containsExactly("zookeeper"));
        assertThat(fleet).noneSatisfy(s -> assertThat(s.calls).isPositive());
    }

    @Test
    @DisplayName("an instance that cannot install the package switches everyone back at once, saying which and why")
    void refusedPackage() {
        List<Sim> fleet = fleet();
        fleet.get(0).error = "package has sha256 00…, expected ab…: refused";
        fleet.get(0).stuck = true;
        Step<MigrationState> end = run(start("5s"), fleet, new ArrayList<>(), 50);
        assertThat(((Step.Failed<MigrationState>) end).reason())
                .isEqualTo("switched back to zookeeper: p-0 could not take native: package has sha256 00…, expected"
                        + " ab…: refused");
    }

    @Test
    @DisplayName("failed calls through the new interface after the switch send everyone back")
    void failedCallsAfterTheSwitch() {
        List<Sim> fleet = fleet();
        fleet.get(2).failEvery = 50; // 2%
        List<String> phases = new ArrayList<>();
        Step<MigrationState> end = run(start("5s"), fleet, phases, 200);
        assertThat(phases).contains("watch").endsWith("switch-back", "switched-back");
        assertThat(((Step.Failed<MigrationState>) end).reason())
                .matches(
                        "switched back to zookeeper: calls through native: \\d+ of [\\d,]+ failed \\(more than 0.1%\\)");
        assertThat(fleet).allSatisfy(s -> assertThat(s.primary).isEqualTo("zookeeper"));
    }

    @Test
    @DisplayName("an instance that does not take a step within the step timeout switches everyone back, named")
    void stepTimeout() {
        List<Sim> fleet = fleet();
        fleet.get(1).stuck = true;
        List<String> phases = new ArrayList<>();
        Instant began = now;
        Step<MigrationState> end = run(start("5s"), fleet, phases, 200);
        assertThat(phases).containsExactly("providers-attach", "switch-back", "switched-back");
        assertThat(((Step.Failed<MigrationState>) end).reason())
                .isEqualTo("switched back to zookeeper: providers-attach not done within 20s: 1 of 5 instances not"
                        + " there yet — p-1: native not installed");
        assertThat(Duration.between(began, now)).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(22));
    }

    @Test
    @DisplayName("after the server restarts, a step waits for the instances that took part, then goes on without them")
    void waitsForReportsAfterARestart() {
        List<Sim> fleet = fleet();
        List<Clients.Seen> seen = new ArrayList<>();
        for (Sim s : fleet) seen.add(new Clients.Seen("default", s.name, s.report(3), now));
        MigrationState m = kind.step(
                        start("5s"),
                        new ClusterView(now, Map.of(), Map.of(), Map.of())
                                .withClients(new ClusterView.ClientsView(serverStart, seen)))
                .state();
        assertThat(m.members()).containsExactly("c-0", "c-1", "p-0", "p-1", "pc-0");

        // the server started 2 s ago: nobody has reported to it yet
        Instant restart = now;
        ClusterView empty = new ClusterView(now, Map.of(), Map.of(), Map.of())
                .withClients(new ClusterView.ClientsView(restart, List.of()));
        Step<MigrationState> step = kind.step(m, empty);
        assertThat(step).isInstanceOf(Step.Continue.class);
        assertThat(step.state().phase()).isEqualTo(Phase.PROVIDERS_ATTACH);
        assertThat(step.state().steps().get(1).note())
                .startsWith("5 of 5 instances not there yet — c-0: not heard from since the server started");

        // 30 s later, those not heard from are gone: the step judges the rest
        now = restart.plus(Clients.FORGET_AFTER);
        ClusterView later = new ClusterView(now, Map.of(), Map.of(), Map.of())
                .withClients(new ClusterView.ClientsView(restart, List.of()));
        step = kind.step(step.state(), later);
        assertThat(step.state().members()).isEmpty();
        assertThat(step.state().phase()).isEqualTo(Phase.CONSUMERS_ATTACH);
    }

    @Test
    @DisplayName("an instance that stopped reporting still holds its step up, named as silent")
    void silentInstancesHoldTheirStep() {
        List<Sim> fleet = fleet();
        MigrationState m = start("5s");
        List<Clients.Seen> seen = new ArrayList<>();
        for (Sim s : fleet) {
            Instant at = s.name.equals("p-1") ? now.minusSeconds(12) : now;
            seen.add(new Clients.Seen("default", s.name, s.report(3), at));
        }
        ClusterView view = new ClusterView(now, Map.of(), Map.of(), Map.of())
                .withClients(new ClusterView.ClientsView(serverStart, seen));
        Step<MigrationState> step = kind.step(m, view);
        assertThat(step.state().steps().get(1).note()).contains("p-1: native not installed (silent for 12s)");
    }

    @Test
    @DisplayName("the newest migration covering an instance's services decides what it uses, running or ended")
    void desiredByStatus() {
        Migrations migrations = new Migrations(kind);
        MigrationState m = start("5s");
        ClientReport consumer = new Sim("c-9", false, true).report(2);
        ClientReport stranger =
                new ClientReport(List.of("zookeeper"), "zookeeper", List.of(), Map.of(), null, null, null);
        assertThat(migrations.desired("default", consumer)).isEmpty();

        migrations.saved(record(OperationStatus.RUNNING), m);
        assertThat(migrations.desired("default", consumer).map(MigrationKindTest::names))
                .contains(List.of("zookeeper*"));
        assertThat(migrations.desired("default", stranger)).isEmpty();
        assertThat(migrations.desired("other", consumer)).isEmpty();

        migrations.saved(record(OperationStatus.COMPLETED), m);
        assertThat(migrations.desired("default", consumer).map(MigrationKindTest::names))
                .contains(List.of("native*"));
        migrations.saved(record(OperationStatus.FAILED), m);
        assertThat(migrations.desired("default", consumer).map(MigrationKindTest::names))
                .contains(List.of("zookeeper*"));
        assertThat(migrations.packageImage("default", DIGEST)).contains("wharf-interface-native:1");
        assertThat(migrations.packageImage("other", DIGEST)).isEmpty();
    }

    OperationRecord record(OperationStatus status) {
        return new OperationRecord("mig-1", "migration", "", status, "", "{}", 1, 0, "", now, now);
    }

    @Test
    @DisplayName("a wrong request names every wrong field at once")
    void everyWrongField() {
        MigrationRequest bad = new MigrationRequest(
                null, "127.0.0.1:2181", "Native!", null, "nope:1", List.of("orders"), "2h", "x", -1, 2.0, "1s");
        Assertions.assertThatThrownBy(
                        () -> MigrationPlan.create(bad, List.of(), ref -> Optional.<ImageRecord>empty(), "mig-2", now))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(
                                e.violations().stream().map(Violation::field))
                        .containsExactlyInAnyOrder(
                                "from",
                                "to",
                                "package",
                                "verify",
                                "watch",
                                "stepTimeout",
                                "maxAddressDiff",
                                "maxErrorRate"));
        MigrationRequest nobody =
                new MigrationRequest(null, ZK, "native", null, null, List.of(), null, null, null, null, null);
        Assertions.assertThatThrownBy(() ->
                        MigrationPlan.create(nobody, List.of(), ref -> Optional.<ImageRecord>empty(), "mig-3", now))
                .hasMessageContaining("no SDK instance of namespace default reports using zookeeper");
    }
}
