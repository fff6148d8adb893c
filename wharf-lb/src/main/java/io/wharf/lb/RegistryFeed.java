package io.wharf.lb;

import static java.util.Objects.requireNonNull;

import io.wharf.client.ServiceWatch;
import io.wharf.client.WharfClient;
import io.wharf.client.wire.EndpointInfo;
import io.wharf.core.registry.EndpointId;
import io.wharf.core.registry.ServiceKey;
import io.wharf.lb.balance.BackendSet.Member;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Follows services through the registry's server-sent events ({@link ServiceWatch}: a snapshot, then each change,
 * resumed after a broken stream from the last revision applied) and acknowledges every revision once the load
 * balancer has applied it — as one watcher per load balancer, so a release can wait for it.
 */
public final class RegistryFeed implements EndpointFeed {
    private final WharfClient client;
    private final String watcherId;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "wharf-lb-feed-acks");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param client a client whose token the server accepts for acknowledgements (an agent's)
     * @param watcherId how this load balancer is known among the service's watchers, e.g. {@code lb@host}
     */
    public RegistryFeed(WharfClient client, String watcherId) {
        this.client = requireNonNull(client, "client");
        this.watcherId = requireNonNull(watcherId, "watcherId");
    }

    public String watcherId() {
        return watcherId;
    }

    @Override
    public AutoCloseable follow(ServiceKey service, Listener listener) {
        ServiceWatch watch = ServiceWatch.start(
                client,
                service.namespace(),
                service.service(),
                watcherId,
                ServiceWatch.Acknowledging.EVERY_REVISION,
                Duration.ZERO,
                timer,
                // the server settles agents' endpoints after a restart: an empty list is the service's
                Duration.ZERO,
                (revision, endpoints) -> listener.update(revision, members(endpoints)));
        return watch::close;
    }

    private static List<Member> members(List<EndpointInfo> endpoints) {
        List<Member> out = new ArrayList<>(endpoints.size());
        for (EndpointInfo e : endpoints) {
            EndpointId id = EndpointId.parse(e.id());
            out.add(new Member(id, e.state(), e.weight()));
        }
        out.sort(Comparator.comparing(Member::id));
        return out;
    }
}
