package io.wharf.server.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.client.wire.OperationStatus;
import io.wharf.client.wire.Registration;
import io.wharf.client.wire.ReleaseRequest;
import io.wharf.client.wire.ReleaseStep;
import io.wharf.core.cluster.ContainerRecord;
import io.wharf.core.spec.ImageRef;
import io.wharf.server.operation.FakeCluster.Behaviour;
import io.wharf.server.operation.Intent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Releases in place, step by step over a fake cluster (claims 001.1-001.8, 001.10). */
class InPlaceReleaseTest {
    private final ReleaseFixture f = new ReleaseFixture();

    @Test
    @DisplayName("001.2-001.8 an endpoint is deregistered and paused, drained by acknowledgement, replaced,"
            + " checked, registered again and resumed; then the next")
    void oneEndpointAtATime() {
        String id = f.start("rel-1", ReleaseFixture.options());
        String c0 = f.containers.get(0);
        String e0 = f.endpoints.get(0);

        f.h.pass(ReleaseFixture.TICK);
        assertThat(f.step(id, 0)).isEqualTo(ReleaseStep.DRAINING);
        assertThat(f.step(id, 1)).isEqualTo(ReleaseStep.PENDING);
        // paused before it leaves the registry, so that its agent does not register it again
        assertThat(f.h.cluster.applied)
                .containsExactly(new Intent.SetRegistration(c0, Registration.PAUSED), new Intent.Deregister(f.web, e0));

        // 001.4: nobody has let go of it yet
        f.h.pass(ReleaseFixture.TICK);
        assertThat(f.step(id, 0)).isEqualTo(ReleaseStep.DRAINING);
        assertThat(f.endpoint(id, 0).waitingFor())
                .contains("watcher sdk-1 (at revision", "load balancer of a (at revision", "load balancer of b");

        f.h.cluster.loadBalancers();
        f.h.cluster.watchersAck();
        f.h.pass(ReleaseFixture.TICK);
        assertThat(f.step(id, 0)).isEqualTo(ReleaseStep.CHECKING);
        // the watcher that never said it acknowledges was not waited for (and is not named)
        assertThat(f.endpoint(id, 0).drain())
                .isEqualTo("acknowledged by watcher sdk-1, load balancer of a, load balancer of b");
        assertThat(f.h.cluster.applied).endsWith(new Intent.SetImage(c0, "v2"));

        // 001.5: its agent starts v2 on the same IP and port; 001.6: the first passing check registers it
        f.h.cycle(ReleaseFixture.TICK);
        assertThat(f.step(id, 0)).isEqualTo(ReleaseStep.CHECKING);
        f.h.cluster.agents();
        f.h.pass(ReleaseFixture.TICK);
        assertThat(f.step(id, 0)).isEqualTo(ReleaseStep.DONE);
        assertThat(f.h.cluster.applied)
                .contains(new Intent.Register(f.web, c0, "v2"), new Intent.SetRegistration(c0, Registration.ACTIVE));
        assertThat(f.h.cluster.isRegistered(f.web, e0)).isTrue();
        assertThat(f.step(id, 1)).isIn(ReleaseStep.PENDING, ReleaseStep.DRAINING);

        var done = f.h.untilEnded(f.kind, id, 100, ReleaseFixture.TICK);
        assertThat(done.status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(done.reason()).isEqualTo("all 3 endpoints on v2");
        assertThat(f.h.cluster.rows(f.web)).extracting(ContainerRecord::image).containsOnly(new ImageRef("demo", "v2"));
        assertThat(f.h.cluster.rows(f.web))
                .extracting(ContainerRecord::registration)
                .containsOnly(Registration.ACTIVE);
        assertThat(f.h.cluster.spec(f.web).image()).isEqualTo(new ImageRef("demo", "v2"));
        for (EndpointRelease e : done.state().endpoints()) {
            assertThat(e.steps().keySet())
                    .containsExactlyInAnyOrder(
                            ReleaseStep.PENDING, ReleaseStep.DRAINING, ReleaseStep.CHECKING, ReleaseStep.DONE);
        }
    }

    @Test
    @DisplayName("001.10 with parallelism 2, two endpoints are under way at once and never a third")
    void parallelism() {
        String id = f.start(
                "rel-1", new ReleaseRequest(null, null, null, 2, null, null, null, null, null, null, null, null, null));
        f.h.pass(ReleaseFixture.TICK);
        assertThat(List.of(f.step(id, 0), f.step(id, 1), f.step(id, 2)))
                .containsExactly(ReleaseStep.DRAINING, ReleaseStep.DRAINING, ReleaseStep.PENDING);
        for (int i = 0; i < 60 && f.op(id).status() == OperationStatus.RUNNING; i++) {
            long underWay = f.op(id).state().underWay();
            assertThat(underWay).isLessThanOrEqualTo(2);
            f.h.cycle(ReleaseFixture.TICK);
        }
        assertThat(f.op(id).status()).isEqualTo(OperationStatus.COMPLETED);
    }

    @Test
    @DisplayName("001.4 a drain waits for requests in flight, and ends at its timeout naming whom it waited for")
    void drainWaitsForInFlightAndTimesOut() {
        String id = f.start(
                "rel-1",
                new ReleaseRequest(null, null, null, null, "2s", null, null, null, null, null, null, null, null));
        String e0 = f.endpoints.get(0);
        f.h.pass(ReleaseFixture.TICK);
        f.h.cluster.loadBalancers();
        f.h.cluster.inFlight(f.web, "b", e0, 2);
        f.h.pass(ReleaseFixture.TICK);
        assertThat(f.endpoint(id, 0).waitingFor()).contains("load balancer of b (2 in flight)", "watcher sdk-1");
        f.h.cluster.watchersAck();
        f.h.pass(Duration.ofMillis(500));
        assertThat(f.endpoint(id, 0).waitingFor()).isEqualTo("load balancer of b (2 in flight)");
        f.h.cluster.clock.advance(Duration.ofSeconds(2));
        f.h.pass(ReleaseFixture.TICK);
        assertThat(f.step(id, 0)).isEqualTo(ReleaseStep.CHECKING);
        assertThat(f.endpoint(id, 0).drain()).isEqualTo("timeout (still waiting for load balancer of b (2 in flight))");
        assertThat(f.endpoint(id, 0).drainMillis()).isGreaterThanOrEqualTo(2000);
    }

    @Test
    @DisplayName("001.6 a new version that fails its checks is put back on the old one; the release stops there")
    void rollsBack() {
        f.h.cluster.behaves("v2", Behaviour.UNHEALTHY);
        String id = f.start(
                "rel-1", new ReleaseRequest(null, null, null, null, null, 3, null, null, null, null, null, null, null));
        var end = f.h.untilEnded(f.kind, id, 100, ReleaseFixture.TICK);
        assertThat(end.status()).isEqualTo(OperationStatus.FAILED);
        assertThat(end.reason()).isEqualTo("default.web.0: version v2 failed 3 health checks; rolled back to v1");
        assertThat(f.step(id, 0)).isEqualTo(ReleaseStep.ROLLED_BACK);
        assertThat(f.endpoint(id, 0).checks()).isGreaterThan(0);
        assertThat(List.of(f.step(id, 1), f.step(id, 2))).containsOnly(ReleaseStep.PENDING);
        ContainerRecord c0 = f.h.cluster.row(f.containers.get(0)).orElseThrow();
        assertThat(c0.image().version()).isEqualTo("v1");
        assertThat(c0.registration()).isEqualTo(Registration.ACTIVE);
        assertThat(f.h.cluster.isRegistered(f.web, f.endpoints.get(0))).isTrue();
        assertThat(f.h.cluster.spec(f.web).image().version()).isEqualTo("v1");
    }

    @Test
    @DisplayName("a version whose process never opens its port uses none of its checks (a slow start is not a"
            + " failure); it is rolled back once the start limit has passed, saying so")
    void neverListens() {
        f.h.cluster.behaves("v2", Behaviour.NEVER_LISTENS);
        String id = f.start(
                "rel-1", new ReleaseRequest(null, null, null, null, null, 3, null, null, null, null, null, null, null));
        f.h.until(f.kind, id, op -> f.step(id, 0) == ReleaseStep.CHECKING, 100, ReleaseFixture.TICK);
        for (int i = 0; i < 50; i++) f.h.cycle(ReleaseFixture.TICK); // 5 s: checks by count would have failed it
        assertThat(f.step(id, 0)).isEqualTo(ReleaseStep.CHECKING);
        var end = f.h.untilEnded(f.kind, id, 100, Duration.ofSeconds(1));
        assertThat(end.status()).isEqualTo(OperationStatus.FAILED);
        assertThat(end.reason())
                .isEqualTo("default.web.0: version v2 did not open its port within 60 s; rolled back to v1");
        assertThat(f.h.cluster.isRegistered(f.web, f.endpoints.get(0))).isTrue();
    }

    @Test
    @DisplayName("without rollback, a failing endpoint stays on the new version and its agent is resumed (001.7)")
    void noRollback() {
        f.h.cluster.behaves("v2", Behaviour.UNHEALTHY);
        String id = f.start(
                "rel-1",
                new ReleaseRequest(null, null, null, null, null, 2, null, false, null, null, null, null, null));
        var end = f.h.untilEnded(f.kind, id, 100, ReleaseFixture.TICK);
        assertThat(end.status()).isEqualTo(OperationStatus.FAILED);
        assertThat(f.step(id, 0)).isEqualTo(ReleaseStep.FAILED);
        ContainerRecord c0 = f.h.cluster.row(f.containers.get(0)).orElseThrow();
        assertThat(c0.image().version()).isEqualTo("v2");
        assertThat(c0.registration()).isEqualTo(Registration.ACTIVE);
    }

    @Test
    @DisplayName("after a failure no new endpoint begins, and those under way finish before the release stops")
    void failureStopsNewEndpoints() {
        f.h.cluster.behaves("v2", Behaviour.CRASHING);
        String id = f.start(
                "rel-1", new ReleaseRequest(null, null, null, 2, null, null, null, null, null, null, null, null, null));
        var end = f.h.untilEnded(f.kind, id, 200, ReleaseFixture.TICK);
        assertThat(end.status()).isEqualTo(OperationStatus.FAILED);
        assertThat(List.of(f.step(id, 0), f.step(id, 1))).containsOnly(ReleaseStep.ROLLED_BACK);
        assertThat(f.step(id, 2)).isEqualTo(ReleaseStep.PENDING);
        assertThat(end.reason()).contains("version v2 exited 3 times");
    }

    @Test
    @DisplayName("001.6 an agent out of contact uses up none of the checks: the release waits for it, then completes")
    void agentOutOfContactUsesNoChecks() {
        String id = f.start("rel-1", ReleaseFixture.options());
        f.h.cycle(ReleaseFixture.TICK);
        f.h.cycle(ReleaseFixture.TICK);
        assertThat(f.step(id, 0)).isEqualTo(ReleaseStep.CHECKING);
        f.h.cluster.hostLost("a");
        for (int i = 0; i < 30; i++) f.h.cycle(Duration.ofSeconds(5));
        assertThat(f.op(id).status()).isEqualTo(OperationStatus.RUNNING);
        assertThat(f.step(id, 0)).isEqualTo(ReleaseStep.CHECKING);
        assertThat(f.endpoint(id, 0).waitingFor()).isEqualTo("the agent of a to be in contact again");
        f.h.cluster.hostBack("a");
        var end = f.h.untilEnded(f.kind, id, 100, ReleaseFixture.TICK);
        assertThat(end.status()).isEqualTo(OperationStatus.COMPLETED);
    }

    @Test
    @DisplayName("a new engine over the stored state carries on from the stored step (kill -9 of the server)")
    void resumesAfterRestart() {
        String id = f.start("rel-1", ReleaseFixture.options());
        f.h.cycle(ReleaseFixture.TICK);
        f.h.cycle(ReleaseFixture.TICK);
        assertThat(f.step(id, 0)).isEqualTo(ReleaseStep.CHECKING);
        f.h.restart();
        var end = f.h.untilEnded(f.kind, id, 100, ReleaseFixture.TICK);
        assertThat(end.status()).isEqualTo(OperationStatus.COMPLETED);
        for (EndpointRelease e : end.state().endpoints()) {
            assertThat(e.steps())
                    .containsOnlyKeys(
                            ReleaseStep.PENDING, ReleaseStep.DRAINING, ReleaseStep.CHECKING, ReleaseStep.DONE);
        }
        assertThat(f.h.cluster.applied(Intent.SetImage.class)).hasSize(3);
    }

    @Test
    @DisplayName("a step whose intents were lost is completed by the next: the endpoint is taken out again")
    void lostIntentsAreAskedAgain() {
        String id = f.start("rel-1", ReleaseFixture.options());
        f.h.cluster.broken = true;
        f.h.pass(ReleaseFixture.TICK);
        // the step was stored, its intents not applied: the endpoint is still registered, and the error shows
        assertThat(f.step(id, 0)).isEqualTo(ReleaseStep.DRAINING);
        assertThat(f.op(id).lastError()).contains("the store is down");
        assertThat(f.op(id).attempts()).isEqualTo(1);
        assertThat(f.h.cluster.isRegistered(f.web, f.endpoints.get(0))).isTrue();
        f.h.cluster.broken = false;
        f.h.cluster.clock.advance(Duration.ofSeconds(1));
        f.h.pass(ReleaseFixture.TICK);
        assertThat(f.h.cluster.isRegistered(f.web, f.endpoints.get(0))).isFalse();
        assertThat(f.h.cluster.row(f.containers.get(0)).orElseThrow().registration())
                .isEqualTo(Registration.PAUSED);
        assertThat(f.op(id).lastError()).isEmpty();
        assertThat(f.h.untilEnded(f.kind, id, 100, ReleaseFixture.TICK).status())
                .isEqualTo(OperationStatus.COMPLETED);
    }
}
