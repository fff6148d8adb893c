package io.wharf.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.client.wire.Desired;
import io.wharf.client.wire.OperationStatus;
import io.wharf.client.wire.Registration;
import io.wharf.client.wire.ScaleOutContainerStatus;
import io.wharf.client.wire.ScaleOutServiceStatus;
import io.wharf.client.wire.TokenKind;
import io.wharf.core.ConflictException;
import io.wharf.core.InvalidInputException;
import io.wharf.core.NotFoundException;
import io.wharf.core.cluster.ContainerRecord;
import io.wharf.core.cluster.HostRecord;
import io.wharf.core.cluster.ImageRecord;
import io.wharf.core.registry.ServiceKey;
import io.wharf.core.spec.ImageRef;
import io.wharf.core.spec.Scale;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Store} implementation must show. Subclasses say how to open a store on a
 * fresh, empty database, and how to open it again on the same database.
 */
public abstract class StoreContract {
    protected Store store;

    /** Opens a store on a fresh, empty database. */
    protected abstract Store openFresh() throws Exception;

    /** Opens a second store on the database the last {@link #openFresh()} used. */
    protected abstract Store reopen() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = openFresh();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void defaultNamespaceAlwaysExists() {
        assertThat(store.namespaces()).extracting(NamespaceRecord::name).containsExactly("default");
    }

    @Test
    void createsAndListsNamespaces() {
        NamespaceRecord prod = store.createNamespace("prod");
        store.createNamespace("dev");
        assertThat(store.namespaces()).extracting(NamespaceRecord::name).containsExactly("default", "dev", "prod");
        assertThat(store.namespace("prod")).contains(prod);
        assertThat(store.namespace("nope")).isEmpty();
    }

    @Test
    void refusesDuplicateNamespace() {
        store.createNamespace("prod");
        assertThatThrownBy(() -> store.createNamespace("prod"))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("prod");
    }

    @Test
    void refusesInvalidNamespaceName() {
        assertThatThrownBy(() -> store.createNamespace("Prod_1")).isInstanceOf(InvalidInputException.class);
        assertThat(store.namespaces()).hasSize(1);
    }

    @Test
    void ensureServiceCreatesOnce() {
        ServiceKey api = new ServiceKey("default", "api");
        assertThat(store.ensureService(api)).isTrue();
        assertThat(store.ensureService(api)).isFalse();
        store.ensureService(new ServiceKey("default", "web"));
        assertThat(store.services("default"))
                .extracting(ServiceRecord::key)
                .containsExactly(api, new ServiceKey("default", "web"));
    }

    @Test
    void servicesAreScopedToTheirNamespace() {
        store.createNamespace("prod");
        store.ensureService(new ServiceKey("prod", "api"));
        store.ensureService(new ServiceKey("default", "api"));
        assertThat(store.services("prod"))
                .extracting(ServiceRecord::key)
                .containsExactly(new ServiceKey("prod", "api"));
        assertThat(store.allServices()).hasSize(2);
    }

    @Test
    void serviceInUnknownNamespaceIsNotFound() {
        assertThatThrownBy(() -> store.ensureService(new ServiceKey("ghost", "api")))
                .isInstanceOfSatisfying(
                        NotFoundException.class, e -> assertThat(e.name()).isEqualTo("ghost"));
        assertThat(store.allServices()).isEmpty();
    }

    @Test
    void revisionCeilingsNeverOverlapUnderConcurrency() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Long>> calls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                calls.add(() -> store.reserveRevisions(100));
            }
            Set<Long> ceilings = new HashSet<>();
            for (Future<Long> f : pool.invokeAll(calls)) {
                ceilings.add(f.get());
            }
            assertThat(ceilings).hasSize(40);
            assertThat(ceilings).allMatch(c -> c % 100 == 0);
            assertThat(store.reserveRevisions(1)).isEqualTo(4001);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void everythingSurvivesReopening() throws Exception {
        store.createNamespace("prod");
        store.ensureService(new ServiceKey("prod", "api"));
        long ceiling = store.reserveRevisions(1000);
        store.close();
        store = reopen();
        assertThat(store.namespaces()).extracting(NamespaceRecord::name).containsExactly("default", "prod");
        assertThat(store.services("prod")).extracting(s -> s.key().service()).containsExactly("api");
        assertThat(store.reserveRevisions(1000)).isEqualTo(ceiling + 1000);
    }

    @Test
    void imagesAreKeptByNameAndVersionAndNeverRewritten() {
        ClusterStore c = store.cluster();
        var v1 = new ImageRecord(
                new ImageRef("demo", "v1"),
                "a".repeat(64),
                10,
                "demo.jar",
                "java -jar demo.jar",
                java.time.Instant.ofEpochMilli(1000));
        c.putImage(v1);
        c.putImage(v1); // the same package again: fine
        assertThat(c.image(new ImageRef("demo", "v1"))).contains(v1);
        assertThatThrownBy(() ->
                        c.putImage(new ImageRecord(v1.ref(), "b".repeat(64), 10, "demo.jar", "x", v1.createdAt())))
                .isInstanceOf(ConflictException.class);
        assertThat(c.images()).hasSize(1);
    }

    @Test
    void specsCountGenerations() {
        ServiceKey api = new ServiceKey("default", "api");
        store.ensureService(api);
        assertThat(store.cluster().putSpec(api, "{\"replicas\":1}")).isEqualTo(1);
        assertThat(store.cluster().putSpec(api, "{\"replicas\":3}")).isEqualTo(2);
        assertThat(store.cluster().spec(api)).contains("{\"replicas\":3}");
        assertThat(store.cluster().specs()).containsExactly(api);
    }

    @Test
    void containersAreUniqueByIdAndByAddressOnTheirHost() {
        ClusterStore c = store.cluster();
        var at = java.time.Instant.ofEpochMilli(5000);
        c.putHost(new HostRecord("h1", "127.0.0.1", "127.0.1.0/24", 2000, 4096, at, "process"));
        c.putHost(new HostRecord("h1", "127.0.0.2", "127.0.1.0/24", 4000, 4096, at, "docker"));
        assertThat(c.hosts()).singleElement().satisfies(h -> {
            assertThat(h.cpuMillis()).isEqualTo(4000);
            assertThat(h.runtime()).isEqualTo("docker");
        });
        ServiceKey api = new ServiceKey("default", "api");
        var first = new ContainerRecord(
                ContainerRecord.idOf(api, 0),
                api,
                0,
                "h1",
                new ImageRef("demo", "v1"),
                "127.0.1.2",
                8080,
                Desired.RUNNING,
                Registration.ACTIVE,
                at,
                at);
        c.insertContainer(first);
        assertThatThrownBy(() -> c.insertContainer(first)).isInstanceOf(ConflictException.class);
        var sameAddress = new ContainerRecord(
                ContainerRecord.idOf(api, 1),
                api,
                1,
                "h1",
                first.image(),
                "127.0.1.2",
                8080,
                Desired.RUNNING,
                Registration.ACTIVE,
                at,
                at);
        assertThatThrownBy(() -> c.insertContainer(sameAddress)).isInstanceOf(ConflictException.class);
        var stopped = new ContainerRecord(
                first.id(),
                api,
                0,
                "h1",
                first.image(),
                first.ip(),
                first.port(),
                Desired.STOPPED,
                Registration.PAUSED,
                at,
                at.plusSeconds(1));
        c.updateContainer(stopped);
        assertThat(c.container(first.id())).contains(stopped);
        c.deleteContainer(first.id());
        assertThat(c.containers()).isEmpty();
    }

    @Test
    void intakeResultsAreStoredOncePerRequest() {
        ServiceKey shop = new ServiceKey("default", "shop");
        byte[] body = "{\"won\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        var r = new io.wharf.store.IntakeResultRecord(
                "a-17", shop, 200, "application/json", body, false, true, 1, 2, 3, 4, 5, 6);
        assertThat(store.intakeResults().putIfAbsent(r)).isTrue();
        var again = new io.wharf.store.IntakeResultRecord(
                "a-17", shop, 500, "", new byte[0], true, false, 9, 9, 9, 9, 9, 9);
        assertThat(store.intakeResults().putIfAbsent(again)).isFalse();
        assertThat(store.intakeResults().get("a-17")).hasValueSatisfying(got -> {
            assertThat(got.status()).isEqualTo(200);
            assertThat(got.body()).isEqualTo(body);
            assertThat(got.clamped()).isTrue();
            assertThat(got.endedMicros()).isEqualTo(6);
        });
        assertThat(store.intakeResults().get("b-1")).isEmpty();
        var b1 = new io.wharf.store.IntakeResultRecord("b-1", shop, 200, "", body, false, false, 1, 2, 3, 4, 5, 6);
        var b2 = new io.wharf.store.IntakeResultRecord("b-2", shop, 409, "", body, false, false, 1, 2, 3, 4, 5, 6);
        assertThat(store.intakeResults().putAllIfAbsent(java.util.List.of(b1, again, b2, b1)))
                .containsExactly("b-1", "b-2");
        assertThat(store.intakeResults().get("b-2"))
                .hasValueSatisfying(got -> assertThat(got.status()).isEqualTo(409));
        assertThat(store.intakeResults().get("a-17"))
                .hasValueSatisfying(got -> assertThat(got.status()).isEqualTo(200));
    }

    @Test
    void volumesAreKeptByServiceOrdinalAndName() {
        ClusterStore c = store.cluster();
        var at = java.time.Instant.ofEpochMilli(5000);
        ServiceKey redis = new ServiceKey("default", "redis");
        var data = new io.wharf.core.cluster.VolumeRecord(redis, 1, "data", "h1", "127.0.1.3", 1L << 30, false, at);
        var logs = new io.wharf.core.cluster.VolumeRecord(redis, 0, "logs", "h2", "127.0.2.3", 0, false, at);
        c.putVolume(data);
        c.putVolume(logs);
        c.putVolume(data.toDelete());
        assertThat(c.volumes()).containsExactly(logs, data.toDelete());
        c.deleteVolume(redis, 1, "data");
        assertThat(c.volumes()).containsExactly(logs);
    }

    @Test
    void autoscaleDecisionsKeepTheNewestOfEachService() throws Exception {
        Instant t0 = Instant.ofEpochMilli(1_700_000_000_000L);
        ServiceKey shop = new ServiceKey("default", "shop");
        ServiceKey other = new ServiceKey("default", "other");
        for (int i = 0; i < 7; i++) {
            store.autoscale()
                    .record(
                            new AutoscaleDecisionRecord(
                                    "ad-" + i, shop, t0.plusSeconds(i), i, i + 1, "cpu " + i, "cpu 90% of 50%"),
                            5);
        }
        store.autoscale().record(new AutoscaleDecisionRecord("ad-x", other, t0, 2, 1, "low", ""), 5);
        store.close();
        store = reopen();
        assertThat(store.autoscale().recent(shop, 50))
                .extracting(AutoscaleDecisionRecord::id)
                .containsExactly("ad-6", "ad-5", "ad-4", "ad-3", "ad-2");
        assertThat(store.autoscale().recent(shop, 2).get(0))
                .isEqualTo(
                        new AutoscaleDecisionRecord("ad-6", shop, t0.plusSeconds(6), 6, 7, "cpu 6", "cpu 90% of 50%"));
        assertThat(store.autoscale().recent(other, 50)).hasSize(1);
    }

    @Test
    void tokensAreKeptByHashRevokedAndListed() throws Exception {
        Instant t0 = Instant.ofEpochMilli(1_700_000_000_000L);
        TokenStore tokens = store.tokens();
        var join = new TokenRecord(
                "t-1", TokenKind.JOIN, "", "", "a".repeat(64), t0, Optional.of(t0.plusSeconds(3600)), Optional.empty());
        var host = new TokenRecord(
                "t-2",
                TokenKind.HOST,
                "",
                "edge",
                "b".repeat(64),
                t0.plusSeconds(1),
                Optional.empty(),
                Optional.empty());
        tokens.insert(join);
        tokens.insert(host);
        assertThatThrownBy(() -> tokens.insert(join)).isInstanceOf(ConflictException.class);
        assertThat(tokens.byHash("a".repeat(64))).contains(join);
        assertThat(tokens.byHash("c".repeat(64))).isEmpty();
        assertThat(join.valid(t0.plusSeconds(10))).isTrue();
        assertThat(join.valid(t0.plusSeconds(3600))).isFalse();

        assertThat(tokens.revoke("t-1", t0.plusSeconds(5))).isTrue();
        assertThat(tokens.revoke("t-1", t0.plusSeconds(6))).isFalse();
        tokens.revokeHost("edge", t0.plusSeconds(7));
        store.close();
        store = reopen();
        assertThat(store.tokens().list()).extracting(TokenRecord::id).containsExactly("t-2", "t-1");
        assertThat(store.tokens().byHash("a".repeat(64)).orElseThrow().revokedAt())
                .contains(t0.plusSeconds(5));
        assertThat(store.tokens().byHash("b".repeat(64)).orElseThrow().valid(t0.plusSeconds(8)))
                .isFalse();
    }

    @Test
    void scaleOutTaskProjectionIsRewrittenAndSurvivesReopening() throws Exception {
        Instant t0 = Instant.ofEpochMilli(1_700_000_000_000L);
        ServiceKey web = new ServiceKey("default", "web");
        ServiceKey api = new ServiceKey("default", "api");
        var task = new ScaleTaskRecord("t-1", List.of("frontend", "edge"), OperationStatus.RUNNING, "", t0, t0);
        var webRow = new ScaleTaskRecord.ServiceRow("t-1", web, ScaleOutServiceStatus.PENDING, 0, "", "", t0, t0);
        var apiRow = new ScaleTaskRecord.ServiceRow("t-1", api, ScaleOutServiceStatus.PENDING, 0, "", "", t0, t0);
        OperationStore ops = store.operations();
        ops.projectScaleTask(task, List.of(webRow, apiRow), List.of());

        Instant t1 = t0.plusSeconds(1);
        var c2 = new ScaleTaskRecord.ContainerRow(
                "t-1", "default.web.2", web, 2, ScaleOutContainerStatus.SERVING, "", t1, t1);
        var c3 = new ScaleTaskRecord.ContainerRow(
                "t-1", "default.web.3", web, 3, ScaleOutContainerStatus.FAILED, "x".repeat(3000), t1, t1);
        ops.projectScaleTask(
                task.with(OperationStatus.COMPLETED_WITH_SKIPS, "1 of 2 skipped", t1),
                List.of(
                        webRow.with(ScaleOutServiceStatus.CREATING, 2, "v1", "", t1),
                        apiRow.with(ScaleOutServiceStatus.SKIPPED, 0, "", "no containers to copy", t1)),
                List.of(c3, c2));

        store.close();
        store = reopen();
        OperationStore again = store.operations();
        assertThat(again.scaleTask("t-1")).hasValueSatisfying(t -> {
            assertThat(t.groups()).containsExactly("frontend", "edge");
            assertThat(t.status()).isEqualTo(OperationStatus.COMPLETED_WITH_SKIPS);
            assertThat(t.reason()).isEqualTo("1 of 2 skipped");
            assertThat(t.updatedAt()).isEqualTo(t1);
        });
        assertThat(again.scaleTask("t-2")).isEmpty();
        assertThat(again.scaleTaskServices("t-1"))
                .extracting(r -> r.service().service() + ":" + r.status() + ":" + r.nodes() + ":" + r.targetVersion()
                        + ":" + r.reason())
                .containsExactly("api:SKIPPED:0::no containers to copy", "web:CREATING:2:v1:");
        var rows = again.scaleTaskContainers("t-1");
        assertThat(rows)
                .extracting(ScaleTaskRecord.ContainerRow::containerId)
                .containsExactly("default.web.2", "default.web.3");
        assertThat(rows.get(0).status()).isEqualTo(ScaleOutContainerStatus.SERVING);
        assertThat(rows.get(1).reason()).hasSize(1024).endsWith("...");
    }

    @Test
    void operationsAreWrittenWithOptimisticVersionsAndSurviveReopening() throws Exception {
        Instant t0 = Instant.ofEpochMilli(1_700_000_000_000L);
        String big = "{\"steps\":\"" + "x".repeat(100_000) + "\"}";
        OperationStore ops = store.operations();
        var r1 = new OperationRecord(
                "r-1", "release", "default/web", OperationStatus.RUNNING, "", "{}", 1, 0, "", t0, t0);
        ops.insert(r1);
        ops.insert(new OperationRecord(
                "s-1", "scale-out", "web", OperationStatus.RUNNING, "", "{}", 1, 0, "", t0.plusSeconds(1), t0));
        ops.insert(new OperationRecord(
                "r-2", "release", "default/api", OperationStatus.RUNNING, "", "{}", 1, 0, "", t0.plusSeconds(2), t0));
        assertThatThrownBy(() -> ops.insert(r1)).isInstanceOf(ConflictException.class);

        var r1v2 = r1.next(OperationStatus.RUNNING, "", big, 1, "boom", t0.plusSeconds(3));
        assertThat(ops.update(r1v2)).isTrue();
        // a writer still holding version 1 does not overwrite version 2
        assertThat(ops.update(r1.next(OperationStatus.FAILED, "stale", "{}", 0, "", t0.plusSeconds(4))))
                .isFalse();
        assertThat(ops.update(
                        r1v2.next(OperationStatus.COMPLETED, "all 3 endpoints on v2", big, 0, "", t0.plusSeconds(5))))
                .isTrue();

        store.close();
        store = reopen();
        OperationStore again = store.operations();
        assertThat(again.list("release")).extracting(OperationRecord::id).containsExactly("r-2", "r-1");
        assertThat(again.running()).extracting(OperationRecord::id).containsExactly("s-1", "r-2");
        assertThat(again.get("r-1")).hasValueSatisfying(r -> {
            assertThat(r.version()).isEqualTo(3);
            assertThat(r.status()).isEqualTo(OperationStatus.COMPLETED);
            assertThat(r.reason()).isEqualTo("all 3 endpoints on v2");
            assertThat(r.state()).isEqualTo(big);
            assertThat(r.createdAt()).isEqualTo(t0);
            assertThat(r.updatedAt()).isEqualTo(t0.plusSeconds(5));
        });
        assertThat(again.get("nope")).isEmpty();
    }

    @Test
    void scalesAreSetAndClearedBesideTheSpec() throws Exception {
        ServiceKey web = new ServiceKey("default", "web");
        store.ensureService(web);
        store.cluster().putSpec(web, "{}");
        Instant at = Instant.ofEpochMilli(1_700_000_000_000L);
        store.cluster().putScale(web, Optional.of(new Scale(4, "scale-out so-1", at)));
        store.cluster().putScale(web, Optional.of(new Scale(5, "scale-out so-2", at)));
        store.close();
        store = reopen();
        assertThat(store.cluster().scale(web)).contains(new Scale(5, "scale-out so-2", at));
        store.cluster().putScale(web, Optional.empty());
        assertThat(store.cluster().scale(web)).isEmpty();
    }
}
