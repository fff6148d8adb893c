package io.wharf.server.registry;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.MeterRegistry;
import io.wharf.core.InvalidInputException;
import io.wharf.core.NotFoundException;
import io.wharf.core.registry.Endpoint;
import io.wharf.core.registry.EndpointId;
import io.wharf.core.registry.ServiceKey;
import io.wharf.store.NamespaceRecord;
import io.wharf.store.ServiceRecord;
import io.wharf.store.Store;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry (claims 001.1, 003.1): providers register endpoints, consumers read a service's snapshot
 * at a revision and follow its changes. Namespaces and services are kept in the {@link Store}; endpoints
 * live in memory on {@link Lease}s, so a provider that stops renewing leaves on its own.
 */
public final class Registry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Registry.class);

    private final Store store;
    private final RegistryConfig config;
    private final LongSupplier nanoClock = System::nanoTime;
    private final RevisionClock revisions;
    private final Leases leases = new Leases(nanoClock);
    private final Set<String> namespaces = ConcurrentHashMap.newKeySet();
    private final Map<ServiceKey, ServiceSlot> slots = new ConcurrentHashMap<>();
    private final ExecutorService notifier = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("wharf-registry-notify-", 0).factory());
    private final ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("wharf-registry-reaper").daemon().factory());
    private final RegistryMetrics metrics;
    private final Settling settling;
    private final Watchers watchers;

    private Registry(Store store, RegistryConfig config, MeterRegistry meters) {
        this.store = store;
        this.config = config;
        this.revisions = new RevisionClock(store, config.revisionBlock());
        this.metrics = new RegistryMetrics(meters, this);
        this.settling = new Settling(config.settleAfterStart(), nanoClock);
        this.watchers = new Watchers(
                config,
                nanoClock,
                metrics,
                this::watchableSlot,
                key -> Optional.ofNullable(slots.get(key)),
                slots::values,
                this::requireNamespace);
        store.namespaces().forEach(ns -> namespaces.add(ns.name()));
        for (ServiceRecord s : store.allServices()) {
            slot(s.key()).markStored();
        }
    }

    /** Starts a registry on {@code store}: loads namespaces and services and begins reaping leases. */
    public static Registry start(Store store, RegistryConfig config, MeterRegistry meters) {
        Registry registry = new Registry(requireNonNull(store, "store"), requireNonNull(config, "config"), meters);
        long reapMillis = Math.max(1, config.reapInterval().toMillis());
        registry.reaper.scheduleWithFixedDelay(registry::expireLeases, reapMillis, reapMillis, TimeUnit.MILLISECONDS);
        registry.reaper.scheduleWithFixedDelay(registry.watchers::dropIdle, 1, 1, TimeUnit.SECONDS);
        // past events are forgotten within a tenth of their age of becoming too old (at least every second)
        long forgetMillis = Math.max(1_000, config.historyAge().toMillis() / 10);
        registry.reaper.scheduleWithFixedDelay(
                registry::forgetOldHistory, forgetMillis, forgetMillis, TimeUnit.MILLISECONDS);
        log.info(
                "registry started revision={} services={} store={}",
                registry.revision(),
                registry.slots.size(),
                store.describe());
        return registry;
    }

    /** Whether services have their endpoints back after a start; readers wait for it. */
    public Settling settling() {
        return settling;
    }

    /** The settings it runs with. */
    public RegistryConfig config() {
        return config;
    }

    /** Its meters. */
    public RegistryMetrics metrics() {
        return metrics;
    }

    /** The latest revision. */
    public long revision() {
        return revisions.current();
    }

    /** The revision this process started at: what happened at or below it is not known here. */
    public long startRevision() {
        return revisions.start();
    }

    /** The services' watchers: streams, long-polls, acknowledgements. */
    public Watchers watchers() {
        return watchers;
    }

    /**
     * The revisions at which the endpoints of {@code key} that are gone now left. An endpoint missing here
     * and from the service left before this process started, or was never registered.
     */
    public Map<EndpointId, Long> removals(ServiceKey key) {
        ServiceSlot slot = slots.get(key);
        return slot == null ? Map.of() : slot.removals();
    }

    // ---- namespaces and services

    /** Creates a namespace; conflict if it exists. */
    public NamespaceRecord createNamespace(String name) {
        NamespaceRecord created = store.createNamespace(name);
        namespaces.add(created.name());
        return created;
    }

    /** Every namespace. */
    public List<NamespaceRecord> namespaces() {
        return store.namespaces();
    }

    /** The stored services of a namespace; not found if the namespace does not exist. */
    public List<ServiceRecord> services(String namespace) {
        requireNamespace(namespace);
        return store.services(namespace);
    }

    /** The live endpoints of a service, empty if it has none or is unknown. */
    public List<RegisteredEndpoint> endpoints(ServiceKey key) {
        requireNamespace(key.namespace());
        ServiceSlot slot = slots.get(key);
        return slot == null ? List.of() : slot.endpoints();
    }

    /**
     * Checks that a namespace exists.
     *
     * @throws NotFoundException if it does not
     */
    public void requireNamespace(String namespace) {
        if (namespaces.contains(namespace)) {
            return;
        }
        // another server sharing the store may have created it
        if (store.namespace(namespace).isPresent()) {
            namespaces.add(namespace);
            return;
        }
        throw new NotFoundException("namespace", namespace);
    }

    /**
     * Records a service in the store if it is not yet, as applying a spec to it does.
     *
     * @throws NotFoundException if its namespace does not exist
     */
    public void ensureService(ServiceKey key) {
        requireNamespace(key.namespace());
        ServiceSlot slot = slot(key);
        if (!slot.stored()) {
            store.ensureService(key);
            slot.markStored();
        }
    }

    private ServiceSlot slot(ServiceKey key) {
        return slots.computeIfAbsent(
                key, k -> new ServiceSlot(k, revisions, nanoClock, metrics, notifier, config.historyPerService()));
    }

    private ServiceSlot watchableSlot(ServiceKey key) {
        requireNamespace(key.namespace());
        return slot(key);
    }

    // ---- endpoints

    /**
     * Registers (or re-registers) an endpoint, creating its service if needed.
     *
     * @throws NotFoundException if the namespace, or a shared lease, does not exist
     * @throws InvalidInputException naming {@code ttl} if it is out of range
     */
    public RegisteredEndpoint register(ServiceKey key, Endpoint endpoint, LeaseRequest leaseRequest) {
        requireNamespace(key.namespace());
        ServiceSlot known = slots.get(key);
        if (known != null && known.stored()) {
            RegisteredEndpoint unchanged = renewedIfUnchanged(known, endpoint, leaseRequest);
            if (unchanged != null) return unchanged;
        }
        Lease lease =
                switch (leaseRequest) {
                    case LeaseRequest.Own own -> leases.grant("e-" + randomId(), checkTtl(own.ttl()), false, "");
                    case LeaseRequest.Shared shared ->
                        leases.get(shared.leaseId())
                                .orElseThrow(() -> new NotFoundException("lease", shared.leaseId()));
                };
        ensureService(key);
        ServiceSlot slot = slot(key);
        // the id object the registry already holds for this endpoint, if any: a lease keeps that one, not a copy
        EndpointId id = slot.get(endpoint.id()).map(r -> r.endpoint().id()).orElse(endpoint.id());
        lease.attach(slot, id);
        ServiceSlot.Put put = slot.put(endpoint, lease.id());
        RegisteredEndpoint previous = put.previous();
        if (previous != null && !previous.leaseId().equals(lease.id())) {
            leases.get(previous.leaseId()).ifPresent(old -> release(old, slot, endpoint.id()));
        }
        if (lease.ended()) {
            // the lease lapsed while this registration was under way (the reaper may have missed the endpoint); or,
            // a lease of its own, a later registration of the same endpoint replaced this one and ended it, which
            // leaves nothing to undo: this registration took place and was superseded
            boolean lapsed =
                    slot.remove(endpoint.id(), lease.id(), "lease expired").isPresent();
            if (lapsed || lease.shared()) {
                throw new NotFoundException("lease", lease.id());
            }
        }
        settling.recheck();
        return put.event().endpoint();
    }

    /**
     * The registration as it stands, if {@code endpoint} is registered already exactly so and on the lease asked
     * for — a lease of its own with the same ttl, which is renewed here, or the same shared lease, which its
     * holder renews. Nothing changes, so there is no new revision and no event: an owner that registers again
     * and again (as some clients do instead of a heartbeat) costs watchers nothing. Null if anything differs or
     * the lease has ended; the registration then goes the whole way.
     */
    private @Nullable RegisteredEndpoint renewedIfUnchanged(ServiceSlot slot, Endpoint endpoint, LeaseRequest asked) {
        RegisteredEndpoint current = slot.get(endpoint.id()).orElse(null);
        if (current == null || !current.endpoint().equals(endpoint)) return null;
        Lease held = leases.get(current.leaseId()).orElse(null);
        if (held == null) return null;
        return switch (asked) {
            case LeaseRequest.Own own ->
                !held.shared() && held.ttlNanos() == own.ttl().toNanos() && leases.renew(held) ? current : null;
            case LeaseRequest.Shared shared -> held.id().equals(shared.leaseId()) && !held.ended() ? current : null;
        };
    }

    private Duration checkTtl(Duration ttl) {
        if (ttl.compareTo(Duration.ofMillis(100)) < 0 || ttl.compareTo(config.maxTtl()) > 0) {
            throw InvalidInputException.of(
                    "ttl",
                    ttl.toMillis() + "ms (expected: 100ms.." + config.maxTtl().toHours() + "h)");
        }
        return ttl;
    }

    /** Renews the lease of one endpoint; returns its ttl. Not found if the endpoint is not registered. */
    public Duration heartbeat(ServiceKey key, EndpointId id) {
        RegisteredEndpoint current = registered(key, id);
        Lease lease =
                leases.get(current.leaseId()).orElseThrow(() -> new NotFoundException("endpoint", key + "/" + id));
        if (!leases.renew(lease)) {
            throw new NotFoundException("endpoint", key + "/" + id);
        }
        return lease.ttl();
    }

    /** Takes an endpoint out; returns the revision of its removal. Not found if it is not registered. */
    public long deregister(ServiceKey key, EndpointId id) {
        requireNamespace(key.namespace());
        ServiceSlot slot = slots.get(key);
        ServiceSlot.Removed removed =
                slot == null ? null : slot.remove(id, null, "deregistered").orElse(null);
        if (removed == null) {
            throw new NotFoundException("endpoint", key + "/" + id);
        }
        leases.get(removed.endpoint().leaseId()).ifPresent(lease -> release(lease, slot, id));
        return removed.event().revision();
    }

    /** The endpoint as registered now. */
    public RegisteredEndpoint registered(ServiceKey key, EndpointId id) {
        requireNamespace(key.namespace());
        ServiceSlot slot = slots.get(key);
        return Optional.ofNullable(slot)
                .flatMap(s -> s.get(id))
                .orElseThrow(() -> new NotFoundException("endpoint", key + "/" + id));
    }

    private void release(Lease lease, ServiceSlot slot, EndpointId id) {
        lease.detach(slot, id);
        if (!lease.shared() && lease.size() == 0) {
            leases.revoke(lease);
        }
    }

    // ---- shared leases

    /** Grants a lease that several endpoints can share, renewed as one; {@code owner} says who may use it. */
    public Lease grantLease(Duration ttl, String owner) {
        return leases.grant("l-" + randomId(), checkTtl(ttl), true, owner);
    }

    /**
     * A live lease.
     *
     * @throws NotFoundException if there is none of that id
     */
    public Lease lease(String leaseId) {
        return leases.get(leaseId).orElseThrow(() -> new NotFoundException("lease", leaseId));
    }

    /** Renews a lease and so every endpoint on it. */
    public Lease renewLease(String leaseId) {
        Lease lease = leases.get(leaseId).orElseThrow(() -> new NotFoundException("lease", leaseId));
        if (!leases.renew(lease)) {
            throw new NotFoundException("lease", leaseId);
        }
        return lease;
    }

    /** Ends a lease now and takes its endpoints out. */
    public void revokeLease(String leaseId) {
        Lease lease = leases.get(leaseId).orElseThrow(() -> new NotFoundException("lease", leaseId));
        leases.revoke(lease);
        removeHeld(lease, "lease revoked");
    }

    /** The endpoints lease {@code leaseId} keeps, as {@code namespace/service/ip_port}; none for an unknown lease. */
    public List<String> held(String leaseId) {
        return leases.get(leaseId).stream()
                .flatMap(l -> l.held().stream())
                .map(a -> a.slot().key() + "/" + a.endpoint())
                .sorted()
                .toList();
    }

    int leaseCount() {
        return leases.size();
    }

    private void forgetOldHistory() {
        try {
            long cutoff = nanoClock.getAsLong() - config.historyAge().toNanos();
            for (ServiceSlot slot : slots.values()) slot.forgetHistoryBefore(cutoff);
        } catch (RuntimeException e) {
            log.error("forgetting old history failed", e);
        }
    }

    private void expireLeases() {
        try {
            for (Lease lease : leases.expire()) {
                metrics.leaseExpired();
                removeHeld(lease, "lease expired");
            }
        } catch (RuntimeException e) {
            log.error("lease reaping failed", e);
        }
    }

    private void removeHeld(Lease lease, String reason) {
        for (Lease.Attachment a : lease.held()) {
            a.slot()
                    .remove(a.endpoint(), lease.id(), reason)
                    .ifPresent(r -> log.info(
                            "endpoint removed service={} endpoint={} reason=\"{}\" lease={} revision={}",
                            a.slot().key(),
                            a.endpoint(),
                            reason,
                            lease.id(),
                            r.event().revision()));
        }
    }

    // ---- reading and watching

    /** The service's endpoints now; an unknown service of a known namespace is empty. */
    public Snapshot snapshot(ServiceKey key) {
        requireNamespace(key.namespace());
        ServiceSlot slot = slots.get(key);
        return slot != null ? slot.snapshot() : new Snapshot(key, revisions.start(), List.of());
    }

    /**
     * Completes with the service's revision once it is above {@code index} (at once if it already is,
     * or if {@code index} is ahead of the registry, e.g. from before a restart).
     */
    public CompletableFuture<Long> changeAfter(ServiceKey key, long index) {
        ServiceSlot slot = watchableSlot(key);
        return index > revisions.current()
                ? CompletableFuture.completedFuture(slot.revision())
                : slot.changeAfter(index);
    }

    private static String randomId() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    }

    @Override
    public void close() {
        reaper.shutdownNow();
        notifier.shutdownNow();
    }
}
