package io.wharf.server.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.client.wire.Desired;
import io.wharf.client.wire.OperationStatus;
import io.wharf.client.wire.Registration;
import io.wharf.client.wire.ScaleOutContainerStatus;
import io.wharf.client.wire.ScaleOutServiceStatus;
import io.wharf.core.InvalidInputException;
import io.wharf.core.cluster.ContainerRecord;
import io.wharf.core.registry.ServiceKey;
import io.wharf.core.spec.ImageRef;
import io.wharf.server.operation.FakeCluster.Behaviour;
import io.wharf.server.operation.Harness;
import io.wharf.server.operation.Intent;
import io.wharf.server.operation.Operation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Scale-out tasks over a fake cluster (claims 000.1-000.7). */
class ScaleOutKindTest {
    private static final Duration SCAN = Duration.ofSeconds(1);

    private final ScaleOutKind kind = new ScaleOutKind(SCAN, 32, Duration.ofMinutes(2));
    private final Harness h = new Harness(kind);
    private final ServiceKey web;
    private final ServiceKey api;

    ScaleOutKindTest() {
        h.cluster.host("a").host("b").image("demo", "v1", "v2", "v3");
        web = h.cluster.service("web", "v1", 3, Map.of("group", "shop"));
        api = h.cluster.service("api", "v2", 1, Map.of("group", "shop"));
        h.cluster.service("ops", "v1", 1, Map.of("group", "tools"));
        // 000.5: two of web's three nodes run v1, one v2
        h.cluster.container(web, 0, "a", "v1");
        h.cluster.container(web, 1, "b", "v2");
        h.cluster.container(web, 2, "a", "v1");
        h.cluster.container(api, 0, "b", "v2");
        h.engine.onSaved(kind, new ScaleOutProjection(h.store));
    }

    private String start(String... groups) {
        ScaleOutState state = ScaleOutPlan.create(
                List.of(groups),
                List.of(h.cluster.spec(web), h.cluster.spec(api), h.cluster.spec(new ServiceKey("default", "ops"))),
                "so-1",
                h.cluster.clock.instant());
        h.engine.submit(kind, "so-1", state);
        return "so-1";
    }

    private ScaleOutState state() {
        return h.op(kind, "so-1").state();
    }

    @Test
    @DisplayName("000.1-000.3, 000.5-000.7 one task gives each service of the group as many new containers as it"
            + " has, at its majority version, placed at once and followed until they serve")
    void doublesEachService() {
        start("shop");
        assertThat(state().services())
                .extracting(ScaleOutState.ServiceRow::service)
                .containsExactly("web", "api");
        h.pass(SCAN);
        assertThat(state().services())
                .extracting(ScaleOutState.ServiceRow::status)
                .containsOnly(ScaleOutServiceStatus.CREATING);
        assertThat(state().services().get(0).nodes()).isEqualTo(3);
        assertThat(state().services().get(0).targetVersion()).isEqualTo("v1");
        assertThat(h.cluster.applied)
                .containsExactly(
                        new Intent.Place(web, List.of(3, 4, 5), new ImageRef("demo", "v1"), Registration.ACTIVE),
                        new Intent.Place(api, List.of(1), new ImageRef("demo", "v2"), Registration.ACTIVE));
        assertThat(state().containers())
                .extracting(ScaleOutState.ContainerRow::id)
                .containsExactly("default.web.3", "default.web.4", "default.web.5", "default.api.1");

        Operation<ScaleOutState> end = h.untilEnded(kind, "so-1", 20, SCAN);
        assertThat(end.status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(end.reason()).isEqualTo("all 2 services scaled out");
        assertThat(end.state().containers())
                .extracting(ScaleOutState.ContainerRow::status)
                .containsOnly(ScaleOutContainerStatus.SERVING);
        assertThat(h.cluster.rows(web)).hasSize(6);
        assertThat(h.cluster.replicas(web)).isEqualTo(6);
        assertThat(h.cluster.rows(web).subList(3, 6))
                .extracting(c -> c.image().version())
                .containsOnly("v1");
        // 000.4: the task table, projected from the operation
        assertThat(h.store.scaleTask("so-1").orElseThrow().status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(h.store.scaleTaskContainers("so-1"))
                .extracting(r -> r.status())
                .containsOnly(ScaleOutContainerStatus.SERVING)
                .hasSize(4);
    }

    @Test
    @DisplayName("000.4 a service whose new containers fail is skipped with the reason and its containers taken"
            + " back; the task goes on with the others")
    void skipsAServiceThatFails() {
        h.cluster.behaves("v2", Behaviour.CRASHING);
        start("shop");
        Operation<ScaleOutState> end = h.untilEnded(kind, "so-1", 30, SCAN);
        assertThat(end.status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(ScaleOutPlan.status(end.status(), end.state())).isEqualTo(OperationStatus.COMPLETED_WITH_SKIPS);
        assertThat(end.reason()).isEqualTo("1 of 2 services skipped");
        ScaleOutState.ServiceRow skipped = end.state().services().get(1);
        assertThat(skipped.status()).isEqualTo(ScaleOutServiceStatus.SKIPPED);
        assertThat(skipped.reason()).startsWith("default.api.1: version v2 exited 3 times");
        assertThat(h.cluster.applied).contains(new Intent.TakeBack(api, List.of("default.api.1")));
        assertThat(h.cluster.rows(api).stream().filter(c -> c.desired() == Desired.RUNNING))
                .extracting(ContainerRecord::id)
                .containsExactly("default.api.0");
        assertThat(h.cluster.replicas(api)).isEqualTo(1);
        assertThat(end.state().services().get(0).status()).isEqualTo(ScaleOutServiceStatus.DONE);
    }

    @Test
    @DisplayName("a container that finds no ready host with room fails, and its service is skipped; with every"
            + " service skipped the task fails")
    void noRoom() {
        h.cluster.noRoom = true;
        start("shop");
        Operation<ScaleOutState> end = h.untilEnded(kind, "so-1", 10, SCAN);
        assertThat(end.status()).isEqualTo(OperationStatus.FAILED);
        assertThat(end.reason()).isEqualTo("all 2 services skipped");
        assertThat(end.state().containers())
                .extracting(ScaleOutState.ContainerRow::reason)
                .contains("no ready host has room for it");
        assertThat(end.state().services().get(0).reason()).isEqualTo("default.web.3: no ready host has room for it");
    }

    @Test
    @DisplayName("000.1 groups that are malformed or that no service carries are all named at once")
    void refusesUnknownGroups() {
        assertThatThrownBy(() -> start("shop", "nobody", "not ok"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.violations())
                        .extracting(v -> v.field() + ": " + v.reason())
                        .containsExactly(
                                "groups[1]: 'nobody': no service carries the label group=nobody",
                                "groups[2]: 'not ok' (expected: a label value, letters, digits, . _ -)"));
    }

    @Test
    @DisplayName("a service with no containers to copy is skipped with the reason")
    void nothingToCopy() {
        start("tools");
        Operation<ScaleOutState> end = h.untilEnded(kind, "so-1", 5, SCAN);
        assertThat(end.status()).isEqualTo(OperationStatus.FAILED);
        assertThat(end.state().services().get(0).reason()).isEqualTo("the service has no containers to copy");
    }

    @Test
    @DisplayName("a new engine over the stored task carries on without creating a container twice")
    void resumesWithoutDuplicates() {
        start("shop");
        h.pass(SCAN);
        h.cluster.agents();
        h.restart();
        Operation<ScaleOutState> end = h.untilEnded(kind, "so-1", 20, SCAN);
        assertThat(end.status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(h.cluster.rows(web)).hasSize(6);
        assertThat(h.cluster.rows(api)).hasSize(2);
    }

    @Test
    @DisplayName("time while a host is out of contact does not count against its new containers")
    void lostHostDoesNotTimeOut() {
        start("shop");
        h.pass(SCAN);
        h.cluster.hostLost("a");
        h.cluster.hostLost("b");
        for (int i = 0; i < 40; i++) h.cycle(Duration.ofSeconds(10));
        assertThat(h.op(kind, "so-1").status()).isEqualTo(OperationStatus.RUNNING);
        h.cluster.hostBack("a");
        h.cluster.hostBack("b");
        assertThat(h.untilEnded(kind, "so-1", 20, SCAN).status()).isEqualTo(OperationStatus.COMPLETED);
    }

    @Test
    @DisplayName("at most the parallelism of services are created at once")
    void parallelism() {
        ScaleOutKind one = new ScaleOutKind(SCAN, 1, Duration.ofMinutes(2));
        Harness h1 = new Harness(one);
        h1.cluster.host("a").image("demo", "v1");
        ServiceKey s1 = h1.cluster.service("s1", "v1", 1, Map.of("group", "g"));
        ServiceKey s2 = h1.cluster.service("s2", "v1", 1, Map.of("group", "g"));
        h1.cluster.container(s1, 0, "a", "v1");
        h1.cluster.container(s2, 0, "a", "v1");
        h1.engine.submit(
                one,
                "so-2",
                ScaleOutPlan.create(
                        List.of("g"),
                        List.of(h1.cluster.spec(s1), h1.cluster.spec(s2)),
                        "so-2",
                        h1.cluster.clock.instant()));
        h1.pass(SCAN);
        assertThat(h1.op(one, "so-2").state().services())
                .extracting(ScaleOutState.ServiceRow::status)
                .containsExactly(ScaleOutServiceStatus.CREATING, ScaleOutServiceStatus.PENDING);
        assertThat(h1.untilEnded(one, "so-2", 20, SCAN).status()).isEqualTo(OperationStatus.COMPLETED);
    }
}
