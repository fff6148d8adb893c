package io.wharf.server.operation;

import io.wharf.client.wire.EndpointState;
import io.wharf.client.wire.RegisteredBy;
import io.wharf.core.NotFoundException;
import io.wharf.core.cluster.ContainerRecord;
import io.wharf.core.registry.Endpoint;
import io.wharf.core.registry.EndpointId;
import io.wharf.server.cluster.Cluster;
import io.wharf.server.registry.LeaseRequest;
import io.wharf.server.registry.Registry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one place where operations change the cluster: applies each step's intents, in order, to the
 * container table, the specs and the registry (Nomad's plan applier). Intents are idempotent; an intent that
 * finds its effect already in place does nothing.
 */
public final class Actions implements IntentApplier {
    private final Cluster cluster;
    private final Registry registry;

    public Actions(Cluster cluster, Registry registry) {
        this.cluster = cluster;
        this.registry = registry;
    }

    /**
     * Applies {@code intents} for the operation {@code owner} (e.g. {@code release rel-…}); returns what they
     * said that a view cannot show.
     */
    @Override
    public List<Outcome> apply(String owner, List<Intent> intents) {
        List<Outcome> outcomes = new ArrayList<>();
        for (Intent intent : intents) {
            apply(owner, intent).ifPresent(outcomes::add);
        }
        return outcomes;
    }

    private Optional<Outcome> apply(String owner, Intent intent) {
        switch (intent) {
            case Intent.Place p -> {
                List<Integer> noRoom =
                        cluster.placement().place(p.service(), p.ordinals(), p.image(), p.registration(), owner);
                return noRoom.isEmpty() ? Optional.empty() : Optional.of(new Outcome.NoRoom(p.service(), noRoom));
            }
            case Intent.TakeBack t -> cluster.placement().takeBack(t.service(), t.containers(), owner);
            case Intent.Stop s -> cluster.placement().stop(s.service(), s.containers(), owner);
            case Intent.SetImage s -> cluster.setImage(s.container(), s.version());
            case Intent.SetRegistration s -> cluster.setRegistration(s.container(), s.registration());
            case Intent.Register r -> register(r);
            case Intent.Deregister d -> {
                try {
                    registry.deregister(d.service(), EndpointId.parse(d.endpoint()));
                } catch (NotFoundException gone) {
                    // already out
                }
            }
            case Intent.SetSpecImage s -> cluster.specs().image(s.service(), s.image());
        }
        return Optional.empty();
    }

    /** Registers the container's endpoint on its host's lease; a host without one gets it from its agent later. */
    private void register(Intent.Register r) {
        Optional<ContainerRecord> c = cluster.containers().get(r.container());
        if (c.isEmpty()) return;
        Optional<String> lease = cluster.hosts().get(c.get().hostId()).flatMap(h -> h.leaseId());
        if (lease.isEmpty()) return;
        registry.register(
                r.service(),
                new Endpoint(
                        c.get().endpoint(),
                        EndpointState.UP,
                        1,
                        r.version(),
                        Map.of("container", c.get().id(), "host", c.get().hostId()),
                        RegisteredBy.RELEASE),
                new LeaseRequest.Shared(lease.get()));
    }
}
