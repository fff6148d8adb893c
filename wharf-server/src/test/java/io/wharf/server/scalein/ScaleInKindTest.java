package io.wharf.server.scalein;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.client.wire.Desired;
import io.wharf.client.wire.OperationStatus;
import io.wharf.client.wire.Registration;
import io.wharf.core.cluster.ContainerRecord;
import io.wharf.core.registry.ServiceKey;
import io.wharf.server.operation.Harness;
import io.wharf.server.operation.Intent;
import io.wharf.server.operation.Operation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Scale-ins over a fake cluster: the surplus leaves through the acknowledged drain, never at once. */
class ScaleInKindTest {
    private static final Duration STEP = Duration.ofMillis(500);

    private final ScaleInKind kind = new ScaleInKind();
    private final Harness h = new Harness(kind);
    private final ServiceKey web;
    private final String ep2;
    private final String ep3;

    ScaleInKindTest() {
        h.cluster.host("a").host("b").image("demo", "v1");
        web = h.cluster.service("web", "v1", 4, Map.of());
        for (int i = 0; i < 4; i++) h.cluster.container(web, i, i % 2 == 0 ? "a" : "b", "v1");
        h.cluster.loadBalancer(web, "a").loadBalancer(web, "b").watcher(web, "sdk-1");
        ep2 = row(2).endpoint().toString();
        ep3 = row(3).endpoint().toString();
    }

    private ContainerRecord row(int ordinal) {
        return h.cluster.row(ContainerRecord.idOf(web, ordinal)).orElseThrow();
    }

    /** The scale-in the autoscaler starts when the count of {@code web} went from 4 to 2. */
    private void start() {
        h.cluster.count(web, 2);
        ScaleInState state = new ScaleInState(
                "si-1",
                "default",
                "web",
                "count 2",
                Duration.ofSeconds(20).toMillis(),
                h.cluster.clock.instant(),
                List.of(leaving(3), leaving(2)));
        h.engine.submit(kind, "si-1", state);
    }

    private ScaleInState.Leaving leaving(int ordinal) {
        ContainerRecord c = row(ordinal);
        return new ScaleInState.Leaving(
                c.id(), c.endpoint().toString(), ScaleInState.Step.PENDING, h.cluster.clock.instant(), "", "");
    }

    private Operation<ScaleInState> op() {
        return h.op(kind, "si-1");
    }

    @Test
    @DisplayName("the surplus is paused and deregistered first, and stopped only once every load balancer and"
            + " acknowledging watcher has let go of it and nothing is in flight to it; the count stays")
    void drainsBeforeStopping() {
        start();
        h.cluster.inFlight(web, "a", ep3, 2);
        h.pass(STEP);
        assertThat(h.cluster.isRegistered(web, ep3)).isFalse();
        assertThat(h.cluster.isRegistered(web, ep2)).isFalse();
        assertThat(row(3).registration()).isEqualTo(Registration.PAUSED);
        assertThat(row(3).desired()).isEqualTo(Desired.RUNNING);

        // load balancers have not applied the removal, the watcher has not acknowledged it
        h.pass(STEP);
        h.pass(STEP);
        assertThat(op().status()).isEqualTo(OperationStatus.RUNNING);
        assertThat(op().state().containers())
                .extracting(ScaleInState.Leaving::step)
                .containsOnly(ScaleInState.Step.DRAINING);
        assertThat(op().state().containers().get(0).waitingFor())
                .contains("watcher sdk-1", "load balancer of a", "load balancer of b");
        assertThat(h.cluster.applied(Intent.Stop.class)).isEmpty();

        // they apply it, but two requests are still in flight to ordinal 3
        h.cluster.loadBalancers();
        h.cluster.inFlight(web, "a", ep3, 2);
        h.cluster.watchersAck();
        h.pass(STEP);
        assertThat(h.cluster.applied(Intent.Stop.class)).containsExactly(new Intent.Stop(web, List.of(row(2).id())));
        assertThat(op().state().containers().get(0).waitingFor()).contains("load balancer of a (2 in flight)");

        h.cluster.loadBalancers();
        Operation<ScaleInState> done = h.untilEnded(kind, "si-1", 10, STEP);
        assertThat(done.status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(done.reason()).isEqualTo("2 container(s) drained and stopped");
        assertThat(done.state().containers()).allSatisfy(c -> assertThat(c.drain())
                .startsWith("acknowledged by watcher sdk-1, load balancer of a, load balancer of b"));
        assertThat(h.cluster.rows(web)).extracting(ContainerRecord::ordinal).containsExactly(0, 1);
        assertThat(h.cluster.replicas(web)).isEqualTo(2);
        // 0 and 1 were never touched
        assertThat(h.cluster.isRegistered(web, row(0).endpoint().toString())).isTrue();
        assertThat(h.cluster.isRegistered(web, row(1).endpoint().toString())).isTrue();
    }

    @Test
    @DisplayName("when the count rises again during the drain, the containers still needed are resumed and"
            + " registered again by their agents instead of stopped")
    void givesBackWhatIsNeededAgain() {
        start();
        h.pass(STEP);
        assertThat(h.cluster.isRegistered(web, ep3)).isFalse();
        h.cluster.count(web, 3); // load came back: one of the two is needed
        h.cycle(STEP);
        Operation<ScaleInState> done = h.untilEnded(kind, "si-1", 10, STEP);
        assertThat(done.status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(done.reason()).isEqualTo("1 container(s) drained and stopped, 1 kept: the count went up");
        assertThat(done.state().containers())
                .extracting(ScaleInState.Leaving::step)
                .containsExactly(ScaleInState.Step.KEPT, ScaleInState.Step.STOPPED);
        h.cluster.agents();
        assertThat(row(3).registration()).isEqualTo(Registration.ACTIVE);
        assertThat(h.cluster.isRegistered(web, ep3)).isTrue();
        assertThat(h.cluster.rows(web)).extracting(ContainerRecord::ordinal).containsExactly(0, 1, 3);
    }

    @Test
    @DisplayName("a load balancer that never lets go delays the stop until the drain timeout, which says whom"
            + " it still waited for")
    void timesOut() {
        start();
        h.pass(STEP);
        h.cluster.watchersAck(); // the load balancers never apply the removal
        for (int i = 0; i < 60 && op().status() == OperationStatus.RUNNING; i++) h.pass(STEP);
        Operation<ScaleInState> done = op();
        assertThat(done.status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(done.state().containers())
                .allSatisfy(c -> assertThat(c.drain()).startsWith("timeout (still waiting for load balancer of a"));
        assertThat(Duration.between(Harness.START, done.updatedAt())).isGreaterThanOrEqualTo(Duration.ofSeconds(20));
    }

    @Test
    @DisplayName("after a kill -9 of the server mid-drain, the new engine carries on: the surplus is stopped"
            + " once, and no container is left out of the registry")
    void carriesOnAfterRestart() {
        start();
        h.pass(STEP);
        h.restart();
        h.cluster.world();
        Operation<ScaleInState> done = h.untilEnded(kind, "si-1", 10, STEP);
        assertThat(done.status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(h.cluster.applied(Intent.Stop.class)).hasSize(2);
        h.cluster.world();
        assertThat(h.cluster.rows(web)).extracting(ContainerRecord::ordinal).containsExactly(0, 1);
        assertThat(h.cluster.rows(web)).allSatisfy(c -> assertThat(
                        h.cluster.isRegistered(web, c.endpoint().toString()))
                .isTrue());
    }

    @Test
    @DisplayName("given up, it resumes every container still draining, so that none stays out of the registry")
    void abandonResumes() {
        start();
        h.pass(STEP);
        assertThat(kind.abandon(op().state()))
                .containsExactlyInAnyOrder(
                        new Intent.SetRegistration(row(3).id(), Registration.ACTIVE),
                        new Intent.SetRegistration(row(2).id(), Registration.ACTIVE));
    }
}
