package io.wharf.server.cluster;

import io.wharf.client.wire.Protocol;
import io.wharf.core.ConflictException;
import io.wharf.core.InvalidInputException;
import io.wharf.core.Violation;
import io.wharf.core.registry.ServiceKey;
import io.wharf.core.spec.ImageRef;
import io.wharf.core.spec.Scale;
import io.wharf.core.spec.ServiceSpec;
import io.wharf.store.ClusterStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What users asked for: service specs and their published routes, and beside each spec the scale a
 * controller set (scale-outs, the autoscaler), which overrides the spec's replicas until the user asks for
 * another count. Written through to the store; one writer at a time.
 */
public final class Specs {
    private static final Logger log = LoggerFactory.getLogger(Specs.class);

    private final ClusterStore store;
    private final Clock clock;
    private final Map<ServiceKey, ServiceSpec> specs = new ConcurrentHashMap<>();
    private final Map<ServiceKey, Scale> scales = new ConcurrentHashMap<>();

    public Specs(ClusterStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        for (ServiceKey key : store.specs()) {
            store.spec(key).map(SpecJson::read).ifPresent(spec -> specs.put(key, spec));
            store.scale(key).ifPresent(scale -> scales.put(key, scale));
        }
    }

    /** The owner of the scale the autoscaler sets. */
    public static final String AUTOSCALER = "autoscaler";

    /** What a put changed. */
    public record Put(long generation, boolean routesChanged, Optional<Scale> scaleDropped) {}

    /**
     * Stores a spec. Its published ports must not collide with another service's. If it asks for other replicas
     * than the spec it replaces, a controller's scale is dropped: the user has taken the count back. A spec with
     * {@code autoscale} leaves the count to the autoscaler: it is kept, within the new {@code min..max}.
     *
     * @throws InvalidInputException if two of its own ports collide
     * @throws ConflictException if a port is published by another service
     */
    public synchronized Put put(ServiceSpec spec) {
        checkExternalPorts(spec);
        boolean existed = specs.containsKey(spec.key());
        int current = existed ? replicas(spec.key()) : spec.replicas();
        long generation = store.putSpec(spec.key(), SpecJson.write(spec));
        ServiceSpec before = specs.put(spec.key(), spec);
        Optional<Scale> dropped = Optional.empty();
        if (spec.autoscale().isPresent()) {
            // the autoscaler owns the count: it stays what it is, brought within the spec's bounds
            int bounded = spec.autoscale().get().clamp(current);
            Optional<Scale> next = bounded == spec.replicas()
                    ? Optional.empty()
                    : Optional.of(new Scale(bounded, AUTOSCALER, clock.instant()));
            store.putScale(spec.key(), next);
            next.ifPresentOrElse(sc -> scales.put(spec.key(), sc), () -> scales.remove(spec.key()));
        } else if (before != null && before.replicas() != spec.replicas() && scales.containsKey(spec.key())) {
            dropped = Optional.of(scales.remove(spec.key()));
            store.putScale(spec.key(), Optional.empty());
            log.info(
                    "scale dropped service={} replicas={} (was {} by {})",
                    spec.key(),
                    spec.replicas(),
                    dropped.get().replicas(),
                    dropped.get().owner());
        }
        boolean routesChanged = before == null
                ? !LbRoute.of(spec).isEmpty()
                : !LbRoute.of(before).equals(LbRoute.of(spec));
        return new Put(generation, routesChanged, dropped);
    }

    public Optional<ServiceSpec> get(ServiceKey key) {
        return Optional.ofNullable(specs.get(key));
    }

    /** Every spec, by service. */
    public List<ServiceSpec> all() {
        return specs.values().stream()
                .sorted(Comparator.comparing(s -> s.key().toString()))
                .toList();
    }

    /** The controller-owned scale of a service, if one is set. */
    public Optional<Scale> scale(ServiceKey key) {
        return Optional.ofNullable(scales.get(key));
    }

    /** How many containers a service should run: its controller's scale, else its spec's replicas. */
    public int replicas(ServiceKey key) {
        Scale scale = scales.get(key);
        if (scale != null) return scale.replicas();
        ServiceSpec spec = specs.get(key);
        return spec == null ? 0 : spec.replicas();
    }

    /**
     * Sets the count a controller wants; a count equal to the spec's replicas needs no override and clears
     * it.
     */
    public synchronized void scale(ServiceKey key, int replicas, String owner) {
        ServiceSpec spec = specs.get(key);
        if (spec == null || replicas == replicas(key)) return;
        Optional<Scale> next = replicas == spec.replicas()
                ? Optional.empty()
                : Optional.of(new Scale(replicas, owner, clock.instant()));
        store.putScale(key, next);
        next.ifPresentOrElse(s -> scales.put(key, s), () -> scales.remove(key));
        log.info("scale set service={} replicas={} owner=\"{}\"", key, replicas, owner);
    }

    /** Makes {@code image} the version the service's spec names, for the containers placed from now on. */
    public synchronized void image(ServiceKey key, ImageRef image) {
        ServiceSpec spec = specs.get(key);
        if (spec == null || spec.image().equals(image)) return;
        ServiceSpec changed = spec.withImage(image);
        store.putSpec(key, SpecJson.write(changed));
        specs.put(key, changed);
    }

    /** Every published port of every service: what each host's load balancer serves. */
    public List<LbRoute> routes() {
        return all().stream().flatMap(s -> LbRoute.of(s).stream()).toList();
    }

    /**
     * Checks that {@code spec}'s published ports collide neither with each other nor with another service's.
     *
     * @throws InvalidInputException if two of its own ports collide
     * @throws ConflictException if a port is published by another service
     */
    public void checkExternalPorts(ServiceSpec spec) {
        List<Violation> wrong = new ArrayList<>();
        List<LbRoute> mine = LbRoute.of(spec);
        for (int i = 0; i < mine.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (mine.get(i).collides(mine.get(j))) {
                    wrong.add(new Violation(
                            "ports[" + i + "].external",
                            mine.get(i).external() + " is already published by ports[" + j + "]"));
                }
            }
        }
        if (!wrong.isEmpty()) throw new InvalidInputException(wrong);
        for (LbRoute other : routes()) {
            if (other.service().equals(spec.key())) continue;
            for (LbRoute r : mine) {
                if (r.collides(other)) {
                    throw new ConflictException("external port " + r.external()
                            + (r.protocol() == Protocol.HTTP && other.protocol() == Protocol.HTTP
                                    ? " with context path " + r.contextPath()
                                    : "")
                            + " is already published by " + other.service() + " (" + other.protocol() + " "
                            + other.contextPath() + ")");
                }
            }
        }
    }
}
