package io.wharf.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wharf.client.wire.ContainerReport;
import io.wharf.client.wire.ContainerState;
import io.wharf.client.wire.Desired;
import io.wharf.client.wire.Heartbeat;
import io.wharf.client.wire.HostJoin;
import io.wharf.client.wire.Registration;
import io.wharf.client.wire.Usage;
import io.wharf.client.wire.VolumeReport;
import io.wharf.core.ConflictException;
import io.wharf.core.NotFoundException;
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
        restart();
        cluster.heartbeat("a", new Heartbeat(new Usage(0, 0, 0, 0), List.<ContainerReport>of(), null, null));
    }

    /** A new server on the same store, its host joined again and not yet reported. */
    private void restart() throws Exception {
        Clock clock = Clock.systemUTC();
        Images images = new Images(store.cluster(), new ArtifactStore(dir.resolve("artifacts")), clock);
        if (images.find(new ImageRef("demo", "v1")).isEmpty()) {
            images.push(
                    new ImageRef("demo", "v1"), "demo.jar", Optional.empty(), new ByteArrayInputStream(new byte[10]));
        }
        cluster = new Cluster(store, registry, images, clock, Executors.newVirtualThreadPerTaskExecutor());
        cluster.join(new HostJoin("a", "127.0.0.1", "127.0.60.0/24", 4000, 8192, "process"));
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

    private final ServiceKey db = new ServiceKey("default", "db");

    private void applyDb(int replicas, boolean stateful) {
        Map<String, Object> doc = new java.util.HashMap<>(Map.of(
                "name",
                "db",
                "image",
                "demo:v1",
                "replicas",
                replicas,
                "ports",
                List.of(Map.of("port", 5432, "protocol", "tcp")),
                "volumes",
                List.of(Map.of("name", "data", "size", "1Mi"))));
        if (stateful) doc.put("kind", "stateful");
        cluster.apply(SpecParser.parse(doc));
    }

    private void beat(String host, List<ContainerReport> containers, List<VolumeReport> volumes) {
        cluster.heartbeat(host, new Heartbeat(new Usage(0, 0, 0, 100_000), containers, null, volumes));
    }

    private static ContainerReport report(String id, boolean healthy) {
        return new ContainerReport(id, ContainerState.RUNNING, 1, healthy, healthy, 0, "", 0, 0, "demo:v1", 1, 0, 0, 0);
    }

    private String hostOf(int ordinal) {
        return cluster.containers().get("default.db." + ordinal).orElseThrow().hostId();
    }

    @Test
    @DisplayName("each image is placed on hosts whose runtime runs it: packages on process hosts, Docker images on"
            + " Docker hosts; a runtime no agent has is refused")
    void placementKnowsTheRuntimes() throws Exception {
        cluster.join(new HostJoin("d", "127.0.0.1", "127.0.61.0/24", 4000, 8192, "docker"));
        beat("d", List.of(), List.of());
        cluster.images()
                .push(
                        new ImageRef("busy", "v1"),
                        "busy.docker-ref",
                        Optional.empty(),
                        new ByteArrayInputStream("busybox:1.36".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        apply(3);
        assertThat(cluster.containers().running(web))
                .extracting(ContainerRecord::hostId)
                .containsOnly("a");
        cluster.apply(SpecParser.parse(
                Map.of("name", "box", "image", "busy:v1", "replicas", 3, "ports", List.of(Map.of("port", 8080)))));
        assertThat(cluster.containers().running(new ServiceKey("default", "box")))
                .hasSize(3)
                .extracting(ContainerRecord::hostId)
                .containsOnly("d");
        assertThat(cluster.hosts().get("d").orElseThrow().record().runtime()).isEqualTo("docker");

        assertThatThrownBy(() -> cluster.join(new HostJoin("e", "127.0.0.1", "127.0.62.0/24", 4000, 8192, "podman")))
                .isInstanceOf(io.wharf.core.InvalidInputException.class)
                .hasMessageContaining("runtime")
                .hasMessageContaining("'podman' (expected: process or docker)");
    }

    @Test
    @DisplayName("002.1 volumes outlive a scale-in, bring their ordinal back to its host, and go only when deleted")
    void volumesOutliveScaleIn() {
        beat("a", List.of(), List.of());
        cluster.join(new HostJoin("b", "127.0.0.1", "127.0.61.0/24", 4000, 8192, "process"));
        beat("b", List.of(), List.of());
        applyDb(3, false);
        assertThat(cluster.volumes().all())
                .extracting(v -> v.ordinal() + "@" + v.hostId())
                .containsExactly("0@" + hostOf(0), "1@" + hostOf(1), "2@" + hostOf(2));
        String host2 = hostOf(2);
        String ip2 = cluster.containers().get("default.db.2").orElseThrow().ip();

        applyDb(2, false);
        cluster.placement().stop(db, List.of("default.db.2"), "scale-in si-1");
        beat(host2, List.of(), List.of(new VolumeReport("default", "db", 2, "data", 4096)));
        assertThat(cluster.containers().get("default.db.2")).isEmpty();
        assertThat(cluster.volumes().of(db, 2)).singleElement().satisfies(v -> {
            assertThat(v.deleting()).isFalse();
            assertThat(cluster.volumes().used(v)).contains(4096L);
        });
        assertThatThrownBy(() -> cluster.deleteVolumes(db, 0, Optional.empty()))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("scale db in below 1 first");

        // an empty host joins: without its volumes ordinal 2 would go there
        cluster.join(new HostJoin("c", "127.0.0.1", "127.0.62.0/24", 4000, 8192, "process"));
        beat("c", List.of(), List.of());
        applyDb(3, false);
        assertThat(cluster.containers().get("default.db.2").orElseThrow())
                .satisfies(c -> assertThat(c.hostId() + " " + c.ip()).isEqualTo(host2 + " " + ip2));

        // deleted by name: its agent is told once no container of the ordinal is placed there
        applyDb(2, false);
        cluster.placement().stop(db, List.of("default.db.2"), "scale-in si-2");
        beat(host2, List.of(), List.of(new VolumeReport("default", "db", 2, "data", 4096)));
        cluster.deleteVolumes(db, 2, Optional.empty());
        assertThat(cluster.assignments(host2).deleteVolumes()).containsExactly("default.db.2");
        applyDb(3, false);
        assertThat(cluster.containers().get("default.db.2")).isEmpty();
        assertThat(cluster.placement().pending(db)).hasValueSatisfying(p -> assertThat(p)
                .contains("db-2 waits: its volumes on host " + host2 + " are being deleted"));
        beat(host2, List.of(), List.of());
        assertThat(cluster.volumes().of(db, 2)).isEmpty();
        cluster.placement().reconcile(db);
        assertThat(cluster.containers().get("default.db.2").orElseThrow().hostId())
                .isEqualTo("c");
        assertThat(cluster.placement().pending(db)).isEmpty();
    }

    @Test
    @DisplayName("002.1 volumes an agent holds that the store does not know are taken in, and pin their ordinal")
    void unknownVolumesAreTakenIn() {
        beat("a", List.of(), List.of(new VolumeReport("default", "db", 0, "data", 10)));
        assertThat(cluster.volumes().of(db, 0)).singleElement().satisfies(v -> assertThat(v.hostId())
                .isEqualTo("a"));
        assertThat(cluster.deleteVolumes(db, 0, Optional.of("data"))).hasSize(1);
        assertThatThrownBy(() -> cluster.deleteVolumes(db, 0, Optional.of("logs")))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    @DisplayName("002.1 kind: stateful starts ordinal by ordinal, each once the one before is healthy")
    void statefulStartsInOrder() throws Exception {
        beat("a", List.of(), List.of());
        applyDb(3, true);
        assertThat(cluster.containers().running(db)).hasSize(3);
        assertThat(cluster.assignments("a").containers())
                .extracting(ContainerRecord::id)
                .containsExactly("default.db.0");
        long revision = cluster.assignments("a").revision();
        var next = cluster.assignmentsAfter("a", revision);
        beat("a", List.of(report("default.db.0", false)), List.of());
        assertThat(next).isNotDone();
        assertThat(cluster.assignments("a").containers()).hasSize(1);
        beat("a", List.of(report("default.db.0", true)), List.of());
        assertThat(next.get(5, java.util.concurrent.TimeUnit.SECONDS)).isGreaterThan(revision);
        assertThat(cluster.assignments("a").containers())
                .extracting(ContainerRecord::id)
                .containsExactly("default.db.0", "default.db.1");
        // given to its agent, it is not taken back before the agent reports it, even if ordinal 0 fails meanwhile
        beat("a", List.of(report("default.db.0", false)), List.of());
        assertThat(cluster.assignments("a").containers())
                .extracting(ContainerRecord::id)
                .containsExactly("default.db.0", "default.db.1");
        // once started, a container is never held back again: ordinal 0 failing does not take 1 away, nor a
        // count raised past what has room
        beat("a", List.of(report("default.db.0", false), report("default.db.1", true)), List.of());
        assertThat(cluster.assignments("a").containers())
                .extracting(ContainerRecord::id)
                .containsExactly("default.db.0", "default.db.1");
        beat("a", List.of(report("default.db.0", true), report("default.db.1", true)), List.of());
        assertThat(cluster.assignments("a").containers()).hasSize(3);
    }

    @Test
    @DisplayName("002.1 after a restart of the server, nothing its agents may run is held back before they report")
    void statefulAfterARestart() throws Exception {
        beat("a", List.of(), List.of());
        applyDb(3, true);
        beat("a", List.of(report("default.db.0", true)), List.of());
        assertThat(cluster.assignments("a").containers()).hasSize(2);
        beat("a", List.of(report("default.db.0", true), report("default.db.1", false)), List.of());

        restart();
        // what its agent runs is not known until it reports: it is given everything, and stops nothing
        assertThat(cluster.assignments("a").containers()).hasSize(3);
        // it reports what it runs: those stay its, even with ordinal 0 failing
        beat("a", List.of(report("default.db.0", false), report("default.db.1", false)), List.of());
        assertThat(cluster.assignments("a").containers())
                .extracting(ContainerRecord::id)
                .containsExactly("default.db.0", "default.db.1", "default.db.2");
    }

    @Test
    @DisplayName("002.1 a stateful service starts nothing until every container is placed: each learns all peers")
    void statefulWaitsForAllItsPeers() {
        cluster.heartbeat("a", new Heartbeat(new Usage(0, 0, 0, 100_000), List.of(), null, List.of()));
        cluster.join(new HostJoin("a", "127.0.0.1", "127.0.60.0/30", 4000, 8192, "process")); // room for one container
        applyDb(3, true);
        assertThat(cluster.containers().running(db)).hasSize(1);
        assertThat(cluster.assignments("a").containers()).isEmpty();
        assertThat(cluster.placement().pending(db)).isPresent();
    }
}
