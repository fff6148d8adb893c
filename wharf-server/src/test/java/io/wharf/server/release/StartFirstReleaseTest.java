package io.wharf.server.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.client.wire.Desired;
import io.wharf.client.wire.OperationStatus;
import io.wharf.client.wire.Registration;
import io.wharf.client.wire.ReleaseRequest;
import io.wharf.client.wire.ReleaseStep;
import io.wharf.core.cluster.ContainerRecord;
import io.wharf.core.spec.ImageRef;
import io.wharf.server.operation.Intent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Start-first releases over a fake cluster (claim 001.9): the new beside the old, watched, switched or not. */
class StartFirstReleaseTest {
    private final ReleaseFixture f = new ReleaseFixture();

    private String start(Integer minRequests, Boolean allowUnwatched) {
        return f.start(
                "rel-1",
                new ReleaseRequest(
                        null,
                        null,
                        null,
                        null,
                        "2s",
                        null,
                        "start-first",
                        null,
                        "10s",
                        null,
                        null,
                        minRequests,
                        allowUnwatched));
    }

    /** Runs endpoint {@code i} to its watch, with the judged part begun; returns its new container's endpoint. */
    private String toJudgedWatch(String id, int i) {
        f.h.until(f.kind, id, op -> op.state().endpoints().get(i).baseline() != null, 300, ReleaseFixture.TICK);
        assertThat(f.step(id, i)).isEqualTo(ReleaseStep.WATCHING);
        return f.endpoint(id, i).replacementEndpoint();
    }

    private String toJudgedWatch(String id) {
        return toJudgedWatch(id, 0);
    }

    /**
     * The other registered endpoints' traffic over the watch, besides the new one's: 100 requests each through
     * load balancer a.
     */
    private void othersServe(String fresh, Duration each) {
        for (String e : f.h.cluster
                .view(java.util.Set.of(f.web))
                .service(f.web)
                .registered()
                .keySet()) {
            if (!e.equals(fresh)) f.h.cluster.served(f.web, "a", e, 100, 0, each);
        }
    }

    @Test
    @DisplayName("001.9 a new container starts beside the old one, is registered once healthy, watched after a"
            + " warm-up, and the service switches to it; the old one drains and is taken back")
    void switches() {
        String id = start(null, null);
        String c0 = f.containers.get(0);
        f.h.pass(ReleaseFixture.TICK);
        assertThat(f.step(id, 0)).isEqualTo(ReleaseStep.STARTING);
        String fresh = f.endpoint(id, 0).replacement();
        assertThat(fresh).isEqualTo("default.web.3");
        assertThat(f.h.cluster.applied)
                .containsExactly(
                        new Intent.Place(f.web, List.of(3), new ImageRef("demo", "v2"), Registration.PAUSED),
                        new Intent.SetRegistration(c0, Registration.PAUSED),
                        new Intent.Deregister(f.web, f.endpoints.get(0)));
        assertThat(f.h.cluster.replicas(f.web)).isEqualTo(4);

        for (int i = 0; i < 3; i++) {
            String freshEndpoint = toJudgedWatch(id, i);
            if (i == 0) assertThat(f.h.cluster.applied).contains(new Intent.Register(f.web, fresh, "v2"));
            othersServe(freshEndpoint, Duration.ofMillis(5));
            f.h.cluster.served(f.web, "a", freshEndpoint, 100, 0, Duration.ofMillis(6));
        }
        var end = f.h.untilEnded(f.kind, id, 600, ReleaseFixture.TICK);
        assertThat(end.status()).as("%s", end).isEqualTo(OperationStatus.COMPLETED);
        EndpointRelease e0 = end.state().endpoints().get(0);
        assertThat(e0.watch())
                .startsWith("100 requests, 0 failed, median 6.0 ms, p90 6.0 ms (other endpoints 5.0 ms, 5.0 ms)")
                .contains("after a 2.0 s warm-up");
        assertThat(e0.steps().keySet())
                .containsExactlyInAnyOrder(
                        ReleaseStep.PENDING,
                        ReleaseStep.STARTING,
                        ReleaseStep.WATCHING,
                        ReleaseStep.RETIRING,
                        ReleaseStep.DONE);
        assertThat(f.h.cluster.rows(f.web).stream()
                        .filter(c -> c.desired() == Desired.RUNNING)
                        .map(c -> c.image().version()))
                .containsOnly("v2")
                .hasSize(3);
        assertThat(f.h.cluster.replicas(f.web)).isEqualTo(3);
    }

    @Test
    @DisplayName("001.9 a new endpoint slower than allowed by its p90 is rolled back: the old one registered"
            + " again first, then the new one drained and taken back")
    void rollsBackWhenSlow() {
        String id = start(null, null);
        String freshEndpoint = toJudgedWatch(id);
        f.h.cluster.served(f.web, "a", freshEndpoint, 100, 0, Duration.ofMillis(50));
        othersServe(freshEndpoint, Duration.ofMillis(5));
        var end = f.h.untilEnded(f.kind, id, 600, ReleaseFixture.TICK);
        assertThat(end.status()).isEqualTo(OperationStatus.FAILED);
        EndpointRelease e0 = end.state().endpoints().get(0);
        assertThat(e0.step()).isEqualTo(ReleaseStep.ROLLED_BACK);
        assertThat(e0.reason())
                .matches("new endpoint " + freshEndpoint.replace(".", "\\.")
                        + " answered in 50\\.\\d ms \\(median\\), 50\\.\\d ms \\(p90\\), the other endpoints in"
                        + " 5\\.0 ms, 5\\.0 ms \\(allowed 2\\.0×\\)");
        List<Intent> applied = f.h.cluster.applied;
        int giveBack = applied.indexOf(new Intent.Register(f.web, f.containers.get(0), "v1"));
        int takeOut = applied.indexOf(new Intent.Deregister(f.web, freshEndpoint));
        assertThat(giveBack).isNotNegative().isLessThan(takeOut);
        assertThat(f.h.cluster.row("default.web.3").map(ContainerRecord::desired))
                .isNotEqualTo(java.util.Optional.of(Desired.RUNNING));
        assertThat(f.h.cluster.isRegistered(f.web, f.endpoints.get(0))).isTrue();
        assertThat(f.h.cluster.replicas(f.web)).isEqualTo(3);
    }

    @Test
    @DisplayName("001.9 a cold start in the warm-up is not held against the new endpoint")
    void warmUpIsNotJudged() {
        String id = start(null, null);
        for (int i = 0; i < 3; i++) {
            int n = i;
            f.h.until(f.kind, id, op -> op.state().endpoints().get(n).watchFrom() != null, 300, ReleaseFixture.TICK);
            String freshEndpoint = f.endpoint(id, i).replacementEndpoint();
            // its first requests are slow, as a fresh JVM's are; by the mean over the whole window it would fail
            f.h.cluster.served(f.web, "a", freshEndpoint, 20, 0, Duration.ofMillis(400));
            toJudgedWatch(id, i);
            othersServe(freshEndpoint, Duration.ofMillis(5));
            f.h.cluster.served(f.web, "a", freshEndpoint, 100, 0, Duration.ofMillis(6));
        }
        var end = f.h.untilEnded(f.kind, id, 600, ReleaseFixture.TICK);
        assertThat(end.status()).as("%s", end).isEqualTo(OperationStatus.COMPLETED);
        assertThat(end.state().endpoints().get(0).watch()).startsWith("100 requests, 0 failed, median 6.0 ms");
    }

    @Test
    @DisplayName("a watch that sees too few requests waits for them, then rolls back saying how to switch anyway")
    void tooFewRequests() {
        String id = start(null, null);
        String freshEndpoint = toJudgedWatch(id);
        f.h.cluster.served(f.web, "a", freshEndpoint, 5, 0, Duration.ofMillis(5));
        f.h.cluster.clock.advance(Duration.ofSeconds(9));
        f.h.cycle(ReleaseFixture.TICK);
        assertThat(f.step(id, 0)).isEqualTo(ReleaseStep.WATCHING);
        assertThat(f.endpoint(id, 0).waitingFor()).isEqualTo("at least 20 requests to judge by (5 so far)");
        var end = f.h.untilEnded(f.kind, id, 600, ReleaseFixture.TICK);
        assertThat(end.status()).isEqualTo(OperationStatus.FAILED);
        assertThat(end.state().endpoints().get(0).reason())
                .contains("got 5 requests", "fewer than the 20 needed to judge it", "--allow-unwatched");
    }

    @Test
    @DisplayName("with allowUnwatched, a watch that sees too few requests switches and says so")
    void allowUnwatched() {
        String id = start(null, true);
        var end = f.h.untilEnded(f.kind, id, 1000, ReleaseFixture.TICK);
        assertThat(end.status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(end.state().endpoints().get(0).watch())
                .startsWith("no requests reached the new endpoint")
                .endsWith("too few to judge, switched as allowed");
    }

    @Test
    @DisplayName("no room beside an endpoint fails it and gives the old endpoint back")
    void noRoom() {
        f.h.cluster.noRoom = true;
        String id = start(null, null);
        var end = f.h.untilEnded(f.kind, id, 20, ReleaseFixture.TICK);
        assertThat(end.status()).isEqualTo(OperationStatus.FAILED);
        assertThat(end.reason()).isEqualTo("default.web.0: no ready host has room for a container of v2 beside it");
        assertThat(f.h.cluster.applied)
                .contains(
                        new Intent.Register(f.web, f.containers.get(0), "v1"),
                        new Intent.SetRegistration(f.containers.get(0), Registration.ACTIVE));
        assertThat(f.h.cluster.isRegistered(f.web, f.endpoints.get(0))).isTrue();
    }
}
