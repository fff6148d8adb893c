package io.wharf.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wharf.client.wire.ContainerReport;
import io.wharf.client.wire.Desired;
import io.wharf.client.wire.Heartbeat;
import io.wharf.client.wire.HostJoin;
import io.wharf.client.wire.Registration;
import io.wharf.client.wire.Usage;
import io.wharf.core.cluster.ContainerRecord;
import io.wharf.core.registry.ServiceKey;
import io.wharf.core.spec.ImageRef;
import io.wharf.core.spec.SpecParser;
import io.wharf.server.artifact.ArtifactStore;
import io.wharf.server.registry.Registry;
import io.wharf.server.registry.RegistryConfig;
import io.wharf.store.jdbc.JdbcStore;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster's parts together, on the embedded store: specs, scale, placement. */
class ClusterTest {
    @TempDir
    Path dir;

    private JdbcStore store;
    private Registry registry;
    private Cluster cluster;
    private final ServiceKey web = new ServiceKey("default", "web");

    @BeforeEach
    void start() throws Exception {
        store = JdbcStore.openEmbedded(dir);
        registry = Registry.start(store, RegistryConfig.defaults(), new SimpleMeterRegistry());
        open();
    }

    private void open() throws Exception {
        Clock clock = Clock.systemUTC();
        Images images = new Images(store.cluster(), new ArtifactStore(dir.resolve("artifacts")), clock);
        if (images.find(new ImageRef("demo", "v1")).isEmpty()) {
            images.push(
                    new ImageRef("demo", "v1"), "demo.jar", Optional.empty(), new ByteArrayInputStream(new byte[10]));
        }
        cluster = new Cluster(store, registry, images, clock, Executors.newVirtualThreadPerTaskExecutor());
        cluster.join(new HostJoin("a", "127.0.0.1", "127.0.60.0/24", 4000, 8192));
        cluster.heartbeat("a", new Heartbeat(new Usage(0, 0, 0, 0), List.<ContainerReport>of(), null));
    }

    @AfterEach
    void stop() {
        registry.close();
        store.close();
    }

    private long apply(int replicas) {
        return cluster.apply(SpecParser.parse(Map.of(
                "name", "web", "image", "demo:v1", "replicas", replicas, "ports", List.of(Map.of("port", 8080)))));
    }

    private List<String> running() {
        return cluster.containers().running(web).stream()
                .map(ContainerRecord::id)
                .toList();
    }

    @Test
    @DisplayName(
            "applying a spec again after a scale-out keeps the new containers; other replicas take the count" + " back")
    void scaleIsOwnedByTheController() throws Exception {
        apply(2);
        assertThat(running()).containsExactly("default.web.0", "default.web.1");
        assertThat(cluster.placement()
                        .place(web, List.of(2, 3), new ImageRef("demo", "v1"), Registration.ACTIVE, "scale-out so-1"))
                .isEmpty();
        assertThat(cluster.specs().replicas(web)).isEqualTo(4);
        assertThat(cluster.specs().scale(web))
                .hasValueSatisfying(s -> assertThat(s.owner()).isEqualTo("scale-out so-1"));

        apply(2); // the same YAML again
        assertThat(running()).hasSize(4);

        // the scale survives a restart of the server
        open();
        assertThat(cluster.specs().replicas(web)).isEqualTo(4);

        apply(3); // the user asks for another count: theirs again
        assertThat(cluster.specs().scale(web)).isEmpty();
        // the one too many keeps running until a scale-in has drained it
        assertThat(running()).hasSize(4);
        assertThat(cluster.placement().surplus(web))
                .extracting(ContainerRecord::id)
                .containsExactly("default.web.3");
        cluster.placement().stop(web, List.of("default.web.3"), "scale-in si-1");
        assertThat(running()).containsExactly("default.web.0", "default.web.1", "default.web.2");
        assertThat(cluster.specs().replicas(web)).isEqualTo(3);
    }

    @Test
    @DisplayName("taking back containers lowers the count, and a count back at the spec's replicas needs no scale")
    void takeBackNarrowsTheCount() {
        apply(2);
        cluster.placement().place(web, List.of(2), new ImageRef("demo", "v1"), Registration.PAUSED, "release r-1");
        assertThat(cluster.specs().replicas(web)).isEqualTo(3);
        cluster.placement().takeBack(web, List.of("default.web.0"), "release r-1");
        assertThat(cluster.containers().get("default.web.0").orElseThrow().desired())
                .isEqualTo(Desired.STOPPED);
        assertThat(cluster.specs().scale(web)).isEmpty();
        assertThat(running()).containsExactly("default.web.1", "default.web.2");
        cluster.placement().reconcile(web);
        assertThat(running()).containsExactly("default.web.1", "default.web.2");
    }
}
