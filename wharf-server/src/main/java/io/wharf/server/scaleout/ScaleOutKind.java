package io.wharf.server.scaleout;

import io.wharf.client.wire.Registration;
import io.wharf.client.wire.ScaleOutContainerStatus;
import io.wharf.client.wire.ScaleOutServiceStatus;
import io.wharf.core.cluster.ContainerRecord;
import io.wharf.core.registry.ServiceKey;
import io.wharf.core.scale.TargetVersion;
import io.wharf.core.spec.ImageRef;
import io.wharf.core.spec.ServiceSpec;
import io.wharf.server.cluster.ClusterView;
import io.wharf.server.operation.AwaitServing;
import io.wharf.server.operation.Intent;
import io.wharf.server.operation.OperationKind;
import io.wharf.server.operation.Outcome;
import io.wharf.server.operation.Step;
import io.wharf.server.scaleout.ScaleOutState.ContainerRow;
import io.wharf.server.scaleout.ScaleOutState.ServiceRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Scale-out tasks (claims 000.1-000.7) as an operation. Each step visits the task's services, up to {@code
 * parallelism} of them creating at once: a pending service's nodes are counted (000.2) and its majority
 * version chosen (000.5), and as many new containers written down (000.3, 000.4) and placed (000.6, 000.7);
 * a creating service's containers are followed until their agents report them healthy and registered. A
 * service one of whose containers fails is skipped with the reason and its new containers taken back; the
 * task goes on with the others. It is stepped every scan interval (000.4: 1-5 s) and whenever an agent
 * reports.
 */
public final class ScaleOutKind implements OperationKind<ScaleOutState> {
    /** Restarts after which a new container counts as failed. */
    static final int MAX_RESTARTS = 2;

    private final Duration scanInterval;
    private final int parallelism;
    private final Duration containerTimeout;

    /**
     * @param scanInterval how often a task is stepped when nothing wakes it
     * @param parallelism how many services of a task are created at once
     * @param containerTimeout how long a new container may take to serve, while its host is in contact
     */
    public ScaleOutKind(Duration scanInterval, int parallelism, Duration containerTimeout) {
        this.scanInterval = scanInterval;
        this.parallelism = parallelism;
        this.containerTimeout = containerTimeout;
    }

    @Override
    public String name() {
        return "scale-out";
    }

    @Override
    public Class<ScaleOutState> stateType() {
        return ScaleOutState.class;
    }

    @Override
    public String subject(ScaleOutState state) {
        return "groups " + String.join(",", state.groups());
    }

    /** The services it has not finished with. */
    @Override
    public Set<ServiceKey> services(ScaleOutState state) {
        Set<ServiceKey> out = new LinkedHashSet<>();
        state.services().stream().filter(s -> !s.ended()).forEach(s -> out.add(s.key()));
        return out;
    }

    @Override
    public Step<ScaleOutState> step(ScaleOutState task, ClusterView view) {
        Instant now = view.now();
        long creating = task.services().stream()
                .filter(s -> s.status() == ScaleOutServiceStatus.CREATING)
                .count();
        List<ServiceRow> services = new ArrayList<>();
        List<ContainerRow> containers = new ArrayList<>(task.containers());
        List<Intent> intents = new ArrayList<>();
        for (ServiceRow row : task.services()) {
            ServiceRow next = row;
            if (row.status() == ScaleOutServiceStatus.PENDING && creating < parallelism) {
                next = Plan.plan(row, view, now, containers, intents);
                if (next.status() == ScaleOutServiceStatus.CREATING) creating++;
            } else if (row.status() == ScaleOutServiceStatus.CREATING) {
                next = follow(row, view.service(row.key()), now, containers, intents);
            }
            services.add(next);
        }
        ScaleOutState after = task.with(services, containers);
        if (services.stream().allMatch(ServiceRow::ended)) {
            long skipped = services.stream()
                    .filter(s -> s.status() == ScaleOutServiceStatus.SKIPPED)
                    .count();
            if (skipped == services.size()) {
                return new Step.Failed<>(after, intents, "all " + skipped + " services skipped");
            }
            return new Step.Done<>(
                    after,
                    intents,
                    skipped == 0
                            ? "all " + services.size() + " services scaled out"
                            : skipped + " of " + services.size() + " services skipped");
        }
        return new Step.Continue<>(after, intents, scanInterval);
    }

    /** Claims 000.3, 000.4: places the service's new containers and follows them until they serve. */
    private ServiceRow follow(
            ServiceRow row,
            ClusterView.ServiceView s,
            Instant now,
            List<ContainerRow> containers,
            List<Intent> intents) {
        ImageRef image = new ImageRef(s.spec().map(sp -> sp.image().name()).orElse(""), row.targetVersion());
        List<Integer> toPlace = new ArrayList<>();
        for (int i = 0; i < containers.size(); i++) {
            ContainerRow c = containers.get(i);
            if (!c.key().equals(row.key())) continue;
            ContainerRow next = c;
            if (c.status() == ScaleOutContainerStatus.PENDING) {
                if (s.container(c.id()).isPresent()) {
                    next = c.with(ScaleOutContainerStatus.PLACED, "", now);
                } else {
                    toPlace.add(c.ordinal());
                }
            } else if (c.status() == ScaleOutContainerStatus.PLACED) {
                var budget =
                        new AwaitServing.Budget(Integer.MAX_VALUE, MAX_RESTARTS, containerTimeout, containerTimeout);
                next = switch (AwaitServing.check(s, c.id(), image, true, budget, c.updatedAt(), now)) {
                    case AwaitServing.Result.Serving ok -> c.with(ScaleOutContainerStatus.SERVING, "", now);
                    case AwaitServing.Result.Failed f -> c.with(ScaleOutContainerStatus.FAILED, f.reason(), now);
                    case AwaitServing.Result.Waiting w -> c;
                };
            }
            containers.set(i, next);
        }
        if (!toPlace.isEmpty()) {
            intents.add(new Intent.Place(row.key(), toPlace, image, Registration.ACTIVE));
        }
        List<ContainerRow> mine =
                containers.stream().filter(c -> c.key().equals(row.key())).toList();
        Optional<ContainerRow> failed = mine.stream()
                .filter(c -> c.status() == ScaleOutContainerStatus.FAILED)
                .findFirst();
        if (failed.isPresent()) {
            String reason = failed.get().id() + ": " + failed.get().reason();
            for (int i = 0; i < containers.size(); i++) {
                ContainerRow c = containers.get(i);
                if (c.key().equals(row.key()) && c.status() != ScaleOutContainerStatus.FAILED) {
                    containers.set(i, c.with(ScaleOutContainerStatus.FAILED, "taken back: " + reason, now));
                }
            }
            intents.add(new Intent.TakeBack(
                    row.key(), mine.stream().map(ContainerRow::id).toList()));
            return row.with(ScaleOutServiceStatus.SKIPPED, row.nodes(), row.targetVersion(), reason, now);
        }
        if (mine.stream().allMatch(c -> c.status() == ScaleOutContainerStatus.SERVING)) {
            return row.with(ScaleOutServiceStatus.DONE, row.nodes(), row.targetVersion(), "", now);
        }
        return row;
    }

    /** Containers that found no room have failed; the next step skips their service. */
    @Override
    public ScaleOutState applied(ScaleOutState task, List<Outcome> outcomes, Instant now) {
        List<ContainerRow> containers = new ArrayList<>(task.containers());
        for (Outcome o : outcomes) {
            if (!(o instanceof Outcome.NoRoom noRoom)) continue;
            for (int i = 0; i < containers.size(); i++) {
                ContainerRow c = containers.get(i);
                if (c.key().equals(noRoom.service())
                        && c.status() == ScaleOutContainerStatus.PENDING
                        && noRoom.ordinals().contains(c.ordinal())) {
                    containers.set(i, c.with(ScaleOutContainerStatus.FAILED, "no ready host has room for it", now));
                }
            }
        }
        return task.with(task.services(), containers);
    }

    /** Claims 000.2, 000.5: counting a service's nodes and choosing its version. */
    static final class Plan {
        private Plan() {}

        static ServiceRow plan(
                ServiceRow row, ClusterView view, Instant now, List<ContainerRow> containers, List<Intent> intents) {
            ClusterView.ServiceView s = view.service(row.key());
            if (s.spec().isEmpty()) {
                return row.with(ScaleOutServiceStatus.SKIPPED, 0, "", "the service has no spec any more", now);
            }
            ServiceSpec spec = s.spec().get();
            var nodes = s.running();
            if (nodes.isEmpty()) {
                return row.with(ScaleOutServiceStatus.SKIPPED, 0, "", "the service has no containers to copy", now);
            }
            String version = TargetVersion.choose(
                            nodes.stream().map(c -> c.row().image().version()).toList(),
                            spec.image().version(),
                            view.versions(spec.image().name()))
                    .orElseThrow();
            int first = s.highestOrdinal() + 1;
            List<Integer> ordinals = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) {
                int ordinal = first + i;
                ordinals.add(ordinal);
                containers.add(new ContainerRow(
                        ContainerRecord.idOf(row.key(), ordinal),
                        row.namespace(),
                        row.service(),
                        ordinal,
                        ScaleOutContainerStatus.PENDING,
                        "",
                        now,
                        now));
            }
            intents.add(new Intent.Place(
                    row.key(), ordinals, new ImageRef(spec.image().name(), version), Registration.ACTIVE));
            return row.with(ScaleOutServiceStatus.CREATING, nodes.size(), version, "", now);
        }
    }
}
