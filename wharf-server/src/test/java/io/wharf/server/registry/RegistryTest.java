package io.wharf.server.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wharf.client.wire.EndpointState;
import io.wharf.client.wire.RegisteredBy;
import io.wharf.core.ConflictException;
import io.wharf.core.InvalidInputException;
import io.wharf.core.NotFoundException;
import io.wharf.core.registry.Endpoint;
import io.wharf.core.registry.EndpointId;
import io.wharf.core.registry.ServiceKey;
import io.wharf.store.NamespaceRecord;
import io.wharf.store.ServiceRecord;
import io.wharf.store.Store;
import io.wharf.store.jdbc.JdbcStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryTest {
    static final ServiceKey API = new ServiceKey("default", "api");

    @TempDir
    Path dir;

    Store store;
    Registry registry;

    Registry start(RegistryConfig config) {
        store = JdbcStore.openEmbedded(dir);
        registry = Registry.start(store, config, new SimpleMeterRegistry());
        return registry;
    }

    @AfterEach
    void stop() {
        if (registry != null) registry.close();
        if (store != null) store.close();
    }

    static Endpoint endpoint(String ipPort) {
        return new Endpoint(EndpointId.parse(ipPort), EndpointState.UP, 1, "v1", Map.of(), RegisteredBy.API);
    }

    static LeaseRequest ttl(long millis) {
        return new LeaseRequest.Own(Duration.ofMillis(millis));
    }

    @Test
    @DisplayName("003.1 a registered endpoint is in its service's snapshot, and the service is created and stored")
    void registerCreatesService() {
        start(RegistryConfig.defaults());
        long before = registry.revision();
        RegisteredEndpoint r = registry.register(API, endpoint("127.0.1.4_8080"), ttl(60_000));
        assertThat(r.revision()).isGreaterThan(before);
        Snapshot s = registry.snapshot(API);
        assertThat(s.revision()).isEqualTo(r.revision());
        assertThat(s.endpoints()).extracting(e -> e.endpoint().id().toString()).containsExactly("127.0.1.4_8080");
        assertThat(store.services("default")).extracting(ServiceRecord::key).containsExactly(API);
    }

    @Test
    void concurrentRegistrationsOfOneEndpointAllSucceedAndLeaveOneLiveLease() throws Exception {
        start(RegistryConfig.defaults());
        EndpointId id = EndpointId.parse("127.0.1.4_8080");
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            writers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 2_000; i++) {
                    try {
                        // unchanged (a renewal) and changed (a new lease) in turn
                        Endpoint ep =
                                new Endpoint(id, EndpointState.UP, 1, "v" + (i / 3 % 2), Map.of(), RegisteredBy.API);
                        registry.register(API, ep, ttl(60_000));
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                }
            }));
        }
        for (Thread w : writers) w.join();
        assertThat(failures).isEmpty();
        RegisteredEndpoint last = registry.registered(API, id);
        assertThat(registry.lease(last.leaseId()).ended()).isFalse();
        assertThat(registry.snapshot(API).endpoints()).hasSize(1);
        assertThat(registry.leaseCount()).isEqualTo(1);
    }

    @Test
    void everyChangeBumpsTheGlobalRevision() {
        start(RegistryConfig.defaults());
        long a = registry.register(API, endpoint("127.0.1.4_8080"), ttl(60_000)).revision();
        long b = registry.register(new ServiceKey("default", "web"), endpoint("127.0.1.5_80"), ttl(60_000))
                .revision();
        long c = registry.deregister(API, EndpointId.parse("127.0.1.4_8080"));
        assertThat(List.of(a, b, c)).isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();
        assertThat(registry.revision()).isEqualTo(c);
    }

    @Test
    void unknownNamespaceIsNotFound() {
        start(RegistryConfig.defaults());
        assertThatThrownBy(
                        () -> registry.register(new ServiceKey("ghost", "api"), endpoint("127.0.1.4_8080"), ttl(1000)))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("ghost");
        assertThat(store.allServices()).isEmpty();
    }

    @Test
    void ttlOutOfRangeIsRefusedAndNothingIsRegistered() {
        start(RegistryConfig.defaults());
        assertThatThrownBy(() -> registry.register(API, endpoint("127.0.1.4_8080"), ttl(10)))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.violations().get(0).field()).isEqualTo("ttl"));
        assertThat(registry.snapshot(API).endpoints()).isEmpty();
    }

    @Test
    @DisplayName("a lapsed lease takes its endpoint out; heartbeats keep it in")
    void leaseExpiry() {
        start(RegistryConfig.defaults());
        registry.register(API, endpoint("127.0.1.4_8080"), ttl(400));
        registry.register(API, endpoint("127.0.1.5_8080"), ttl(400));
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1200);
        while (System.nanoTime() < until) {
            registry.heartbeat(API, EndpointId.parse("127.0.1.5_8080"));
            await().pollDelay(Duration.ofMillis(100)).until(() -> true);
        }
        assertThat(registry.snapshot(API).endpoints())
                .extracting(e -> e.endpoint().id().toString())
                .containsExactly("127.0.1.5_8080");
        await().atMost(Duration.ofSeconds(2))
                .until(() -> registry.snapshot(API).endpoints().isEmpty());
        assertThatThrownBy(() -> registry.heartbeat(API, EndpointId.parse("127.0.1.5_8080")))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    @DisplayName("at default settings a silent endpoint is out within 3 s of its last heartbeat, not before its ttl")
    void defaultDetectionTime() {
        start(RegistryConfig.defaults());
        registry.register(
                API,
                endpoint("127.0.1.4_8080"),
                new LeaseRequest.Own(registry.config().defaultTtl()));
        long lastBeat = System.nanoTime();
        registry.heartbeat(API, EndpointId.parse("127.0.1.4_8080"));
        await().atMost(Duration.ofMillis(3300))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> registry.snapshot(API).endpoints().isEmpty());
        long gone = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastBeat);
        assertThat(gone).isBetween(2900L, 3200L);
    }

    @Test
    @DisplayName("one heartbeat of a shared lease keeps all its endpoints; revoking it takes them all out")
    void sharedLease() {
        start(RegistryConfig.defaults());
        Lease lease = registry.grantLease(Duration.ofMillis(500), "admin");
        for (int i = 1; i <= 3; i++) {
            registry.register(API, endpoint("127.0.1." + i + "_8080"), new LeaseRequest.Shared(lease.id()));
        }
        assertThat(lease.size()).isEqualTo(3);
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1000);
        while (System.nanoTime() < until) {
            registry.renewLease(lease.id());
            await().pollDelay(Duration.ofMillis(100)).until(() -> true);
        }
        assertThat(registry.snapshot(API).endpoints()).hasSize(3);
        registry.revokeLease(lease.id());
        assertThat(registry.snapshot(API).endpoints()).isEmpty();
        assertThatThrownBy(() -> registry.renewLease(lease.id())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void reRegisteringMovesTheEndpointToItsNewLease() {
        start(RegistryConfig.defaults());
        registry.register(API, endpoint("127.0.1.4_8080"), ttl(300));
        Lease shared = registry.grantLease(Duration.ofMinutes(1), "admin");
        registry.register(API, endpoint("127.0.1.4_8080"), new LeaseRequest.Shared(shared.id()));
        await().pollDelay(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> true);
        assertThat(registry.snapshot(API).endpoints()).hasSize(1);
        assertThat(registry.leaseCount()).isEqualTo(1);
    }

    @Test
    @DisplayName("a watcher resuming from a revision gets exactly the changes after it, none missed or repeated")
    void resumeFromRevision() throws Exception {
        start(RegistryConfig.defaults());
        var first = registry.watchers().openStream(API, "lb-1", -1, true);
        assertThat(first.snapshot()).isPresent();
        registry.register(API, endpoint("127.0.1.1_80"), ttl(60_000));
        registry.register(API, endpoint("127.0.1.2_80"), ttl(60_000));
        List<ChangeEvent> seen = drain(first.stream(), 2);
        registry.watchers().closeStream(first);
        long last = seen.get(seen.size() - 1).revision();

        registry.deregister(API, EndpointId.parse("127.0.1.1_80"));
        registry.register(API, endpoint("127.0.1.3_80"), ttl(60_000));

        var second = registry.watchers().openStream(API, "lb-1", last, true);
        assertThat(second.snapshot()).isEmpty();
        assertThat(second.replay()).hasSize(2);
        registry.register(API, endpoint("127.0.1.4_80"), ttl(60_000));
        seen.addAll(second.replay());
        seen.addAll(drain(second.stream(), 1));
        assertThat(seen)
                .extracting(ChangeEvent::revision)
                .isSorted()
                .doesNotHaveDuplicates()
                .hasSize(5);
        assertThat(seen)
                .extracting(e -> e instanceof ChangeEvent.Delete ? "-" : "+")
                .containsExactly("+", "+", "-", "+", "+");
        assertThat(second.stream().next()).isNull();
    }

    @Test
    @DisplayName("an endpoint registered again on another lease keeps one endpoint object for its new and older events")
    void reRegistrationOnAnotherLeaseSharesTheEndpoint() {
        start(RegistryConfig.defaults());
        var stream = registry.watchers().openStream(API, "w", -1, true);
        registry.register(API, endpoint("127.0.1.1_80"), ttl(60_000));
        registry.register(API, endpoint("127.0.1.1_80"), ttl(30_000)); // a new lease, the same endpoint
        List<ChangeEvent> events = drain(stream.stream(), 2);
        var first = ((ChangeEvent.Put) events.get(0)).endpoint();
        var second = ((ChangeEvent.Put) events.get(1)).endpoint();
        assertThat(second.leaseId()).isNotEqualTo(first.leaseId());
        assertThat(second.endpoint()).isSameAs(first.endpoint());
    }

    @Test
    @DisplayName(
            "an endpoint registered again unchanged on its own lease's ttl renews that lease: no revision, no event")
    void unchangedReRegistrationRenews() throws Exception {
        start(RegistryConfig.defaults());
        RegisteredEndpoint first = registry.register(API, endpoint("127.0.1.1_80"), ttl(2_000));
        var stream = registry.watchers().openStream(API, "w", first.revision(), true);
        long revision = registry.revision();
        // registered again and again, for more than twice its ttl: it never lapses, and nothing is a change
        long until = System.nanoTime() + Duration.ofMillis(5_000).toNanos();
        while (System.nanoTime() < until) {
            RegisteredEndpoint again = registry.register(API, endpoint("127.0.1.1_80"), ttl(2_000));
            assertThat(again).isEqualTo(first);
            Thread.sleep(100);
        }
        assertThat(registry.revision()).isEqualTo(revision);
        assertThat(stream.stream().next()).isNull();
        assertThat(registry.snapshot(API).endpoints()).containsExactly(first);
        assertThat(registry.leaseCount()).isEqualTo(1);

        // a change is a change: a new revision, an event, and the lease asked for
        Endpoint v2 =
                new Endpoint(EndpointId.parse("127.0.1.1_80"), EndpointState.UP, 1, "v2", Map.of(), RegisteredBy.API);
        RegisteredEndpoint changed = registry.register(API, v2, ttl(2_000));
        assertThat(changed.revision()).isGreaterThan(revision);
        assertThat(changed.leaseId()).isNotEqualTo(first.leaseId());
        assertThat(changed.endpoint().id())
                .as("one id object for the endpoint")
                .isSameAs(first.endpoint().id());
        assertThat(drain(stream.stream(), 1)).singleElement().satisfies(e -> assertThat(e.revision())
                .isEqualTo(changed.revision()));
        assertThat(registry.leaseCount()).isEqualTo(1);
    }

    @Test
    @DisplayName("an endpoint registered again unchanged on its shared lease is no change; on a lapsed lease it is")
    void unchangedOnSharedLeaseAndAfterALapse() {
        start(RegistryConfig.defaults());
        Lease shared = registry.grantLease(Duration.ofMinutes(1), "admin");
        RegisteredEndpoint first =
                registry.register(API, endpoint("127.0.1.1_80"), new LeaseRequest.Shared(shared.id()));
        assertThat(registry.register(API, endpoint("127.0.1.1_80"), new LeaseRequest.Shared(shared.id())))
                .isEqualTo(first);

        RegisteredEndpoint own = registry.register(API, endpoint("127.0.1.2_80"), ttl(200));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> registry.snapshot(API).endpoints().size() == 1); // its lease lapsed
        RegisteredEndpoint back = registry.register(API, endpoint("127.0.1.2_80"), ttl(200));
        assertThat(back.revision()).isGreaterThan(own.revision());
        assertThat(back.leaseId()).isNotEqualTo(own.leaseId());
        assertThat(registry.snapshot(API).endpoints()).hasSize(2);
    }

    @Test
    @DisplayName("the history grows as a service changes and replays its changes in order")
    void historyGrowsInOrder() {
        start(RegistryConfig.defaults());
        long from =
                registry.register(API, endpoint("127.0.1.1_80"), ttl(60_000)).revision();
        for (int i = 2; i <= 40; i++) registry.register(API, endpoint("127.0.1." + i + "_80"), ttl(60_000));
        var resumed = registry.watchers().openStream(API, "w", from, true);
        assertThat(resumed.snapshot()).isEmpty();
        assertThat(resumed.replay())
                .extracting(
                        e -> ((ChangeEvent.Put) e).endpoint().endpoint().id().toString())
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(2, 40)
                        .mapToObj(i -> "127.0.1." + i + "_80")
                        .toList());
    }

    @Test
    @DisplayName("changes older than the history's age are forgotten: a watcher resuming from before them gets a"
            + " snapshot")
    void oldHistoryIsForgotten() {
        start(RegistryConfig.defaults().withHistoryAge(Duration.ofMillis(300)));
        long from =
                registry.register(API, endpoint("127.0.1.1_80"), ttl(60_000)).revision();
        registry.register(API, endpoint("127.0.1.2_80"), ttl(60_000));
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            var resumed = registry.watchers().openStream(API, "w", from, true);
            registry.watchers().closeStream(resumed);
            return resumed.snapshot().isPresent();
        });
        var resumed = registry.watchers().openStream(API, "w2", from, true);
        assertThat(resumed.snapshot())
                .hasValueSatisfying(s -> assertThat(s.endpoints()).hasSize(2));
        assertThat(resumed.replay()).isEmpty();
        // and a change after that is in the history again
        long now = registry.revision();
        registry.register(API, endpoint("127.0.1.3_80"), ttl(60_000));
        var recent = registry.watchers().openStream(API, "w3", now, true);
        assertThat(recent.snapshot()).isEmpty();
        assertThat(recent.replay()).hasSize(1);
    }

    @Test
    void resumingFromBeyondTheHistoryGetsASnapshot() {
        start(RegistryConfig.defaults().withHistoryPerService(4));
        long start = registry.snapshot(API).revision();
        for (int i = 1; i <= 6; i++) {
            registry.register(API, endpoint("127.0.1." + i + "_80"), ttl(60_000));
        }
        var tooOld = registry.watchers().openStream(API, "w", start, true);
        assertThat(tooOld.snapshot())
                .hasValueSatisfying(s -> assertThat(s.endpoints()).hasSize(6));
        assertThat(tooOld.replay()).isEmpty();
        var recent = registry.watchers().openStream(API, "w2", registry.revision() - 2, true);
        assertThat(recent.snapshot()).isEmpty();
        assertThat(recent.replay()).hasSize(2);
    }

    @Test
    @DisplayName("the registry tells which watchers of a service have not acknowledged a revision")
    void acknowledgements() {
        start(RegistryConfig.defaults());
        registry.watchers().openStream(API, "lb-host1", -1, true);
        registry.watchers().openStream(API, "lb-host2", -1, true);
        registry.watchers().openStream(API, "curl", -1, false); // never said it acknowledges: never waited for
        registry.watchers().longPollStarted(API, "script", -1, false);
        long removal =
                registry.register(API, endpoint("127.0.1.1_80"), ttl(60_000)).revision();
        assertThat(registry.watchers().pending(API, removal)).containsExactly("lb-host1", "lb-host2");
        registry.watchers().acknowledge(API, "lb-host1", removal);
        assertThat(registry.watchers().pending(API, removal)).containsExactly("lb-host2");
        registry.watchers().acknowledge(API, "lb-host2", removal + 5);
        registry.watchers().acknowledge(API, "lb-host2", removal - 1); // late, lower: ignored
        assertThat(registry.watchers().pending(API, removal)).isEmpty();
        assertThatThrownBy(() -> registry.watchers().acknowledge(API, "nobody", removal))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    @DisplayName("a watcher that falls behind is cut off with a resync signal; the others get every change")
    void slowWatcherIsCutOff() throws Exception {
        start(RegistryConfig.defaults().withWatcherBuffer(4));
        var slow = registry.watchers().openStream(API, "slow", -1, true);
        var fast = registry.watchers().openStream(API, "fast", -1, true);
        List<ChangeEvent> fastSeen = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            registry.register(API, endpoint("127.0.1." + i + "_80"), ttl(60_000));
            fastSeen.addAll(drain(fast.stream(), 1));
        }
        assertThat(fastSeen).hasSize(10);
        assertThatThrownBy(() -> slow.stream().next())
                .isInstanceOf(Watcher.CutOffException.class)
                .hasMessageContaining("fell behind");
    }

    @Test
    @DisplayName(
            "one stalled watcher among 1,000 is cut off; the 999 others, read by two threads as they are told of changes,"
                    + " get every change")
    void oneStalledWatcherAmongAThousand() throws Exception {
        start(RegistryConfig.defaults().withWatcherBuffer(64));
        int changes = 200;
        var stalled = registry.watchers().openStream(API, "stalled", -1, true);
        java.util.concurrent.atomic.AtomicLong delivered = new java.util.concurrent.atomic.AtomicLong();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        // read as the API's streams are: told that a buffer has something, two threads take what it holds
        ExecutorService readers = Executors.newFixedThreadPool(2);
        for (int w = 0; w < 999; w++) {
            var start = registry.watchers().openStream(API, "w" + w, -1, true);
            java.util.concurrent.atomic.AtomicLong last = new java.util.concurrent.atomic.AtomicLong();
            start.stream()
                    .onReady(() -> readers.execute(() -> {
                        synchronized (last) {
                            for (ChangeEvent e; (e = start.stream().next()) != null; ) {
                                if (e.revision() <= last.get())
                                    failures.add("out of order: " + e.revision() + " after " + last.get());
                                last.set(e.revision());
                                delivered.incrementAndGet();
                            }
                        }
                    }));
        }
        for (int i = 0; i < changes; i++) {
            registry.register(API, endpoint("127.0.1." + (i % 250 + 1) + "_80"), ttl(60_000));
            long expected = 999L * (i + 1);
            // the readers keep up, one change at a time; the stalled watcher reads nothing
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> delivered.get() >= expected || !failures.isEmpty());
        }
        readers.shutdown();
        assertThat(readers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        assertThat(failures).isEmpty();
        assertThat(delivered.get()).isEqualTo(999L * changes);
        assertThatThrownBy(() -> stalled.stream().next())
                .isInstanceOf(Watcher.CutOffException.class)
                .hasMessageContaining("fell behind");
    }

    @Test
    void disconnectedWatchersAreDroppedAfterTheGracePeriod() {
        start(RegistryConfig.defaults().withWatcherGrace(Duration.ofMillis(200)));
        var s = registry.watchers().openStream(API, "gone", -1, true);
        registry.watchers().closeStream(s);
        assertThat(registry.watchers().of(API))
                .extracting(WatcherStatus::connected)
                .containsExactly(false);
        await().atMost(Duration.ofSeconds(3))
                .until(() -> registry.watchers().of(API).isEmpty());
    }

    @Test
    void longPollCompletesWhenTheServicePassesTheIndex() throws Exception {
        start(RegistryConfig.defaults());
        long index = registry.snapshot(API).revision();
        var change = registry.changeAfter(API, index);
        assertThat(change).isNotDone();
        long r = registry.register(API, endpoint("127.0.1.1_80"), ttl(60_000)).revision();
        assertThat(change.get(2, TimeUnit.SECONDS)).isEqualTo(r);
        assertThat(registry.changeAfter(API, index)).isCompletedWithValue(r);
    }

    @Test
    @DisplayName("a restart keeps namespaces and services, and revisions keep rising")
    void restartKeepsDurableState() {
        start(RegistryConfig.defaults());
        registry.createNamespace("prod");
        ServiceKey pay = new ServiceKey("prod", "pay");
        long before =
                registry.register(pay, endpoint("127.0.1.1_80"), ttl(60_000)).revision();
        assertThatThrownBy(() -> registry.createNamespace("prod")).isInstanceOf(ConflictException.class);
        registry.close();
        store.close();

        start(RegistryConfig.defaults());
        assertThat(registry.namespaces()).extracting(NamespaceRecord::name).containsExactly("default", "prod");
        assertThat(registry.services("prod")).extracting(ServiceRecord::key).containsExactly(pay);
        Snapshot after = registry.snapshot(pay);
        assertThat(after.endpoints()).isEmpty();
        assertThat(after.revision()).isGreaterThan(before);
        assertThat(registry.register(pay, endpoint("127.0.1.1_80"), ttl(60_000)).revision())
                .isGreaterThan(after.revision());
    }

    /** The next {@code n} events: a change is in every watcher's buffer by the time the registry returns. */
    private static List<ChangeEvent> drain(Watcher.Stream stream, int n) {
        List<ChangeEvent> out = new ArrayList<>();
        while (out.size() < n) {
            ChangeEvent e = stream.next();
            assertThat(e).as("event %d of %d", out.size() + 1, n).isNotNull();
            out.add(e);
        }
        return out;
    }
}
