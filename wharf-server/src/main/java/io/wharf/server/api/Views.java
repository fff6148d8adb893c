package io.wharf.server.api;

import io.wharf.client.wire.EndpointState;
import io.wharf.client.wire.RegisteredBy;
import io.wharf.core.Durations;
import io.wharf.server.registry.ChangeEvent;
import io.wharf.server.registry.Lease;
import io.wharf.server.registry.RegisteredEndpoint;
import io.wharf.server.registry.Snapshot;
import io.wharf.server.registry.WatcherStatus;
import io.wharf.store.NamespaceRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON shapes the API answers with. */
final class Views {
    private Views() {}

    record EndpointView(
            String id,
            String ip,
            int port,
            EndpointState state,
            int weight,
            String version,
            Map<String, String> metadata,
            RegisteredBy registeredBy,
            String lease,
            long revision) {
        static EndpointView of(RegisteredEndpoint r) {
            var e = r.endpoint();
            return new EndpointView(
                    e.id().toString(),
                    e.id().ip(),
                    e.id().port(),
                    e.state(),
                    e.weight(),
                    e.version(),
                    e.metadata(),
                    e.registeredBy(),
                    r.leaseId(),
                    r.revision());
        }
    }

    record SnapshotView(String namespace, String service, long revision, List<EndpointView> endpoints) {
        static byte[] encode(Snapshot s) {
            return Json.write(new SnapshotView(
                    s.service().namespace(),
                    s.service().service(),
                    s.revision(),
                    s.endpoints().stream().map(EndpointView::of).toList()));
        }
    }

    record PutView(long revision, EndpointView endpoint) {}

    record DeleteView(long revision, String id, String reason) {}

    static String eventName(ChangeEvent e) {
        return switch (e) {
            case ChangeEvent.Put p -> "put";
            case ChangeEvent.Delete d -> "delete";
        };
    }

    static byte[] encodeEvent(ChangeEvent e) {
        return Json.write(
                switch (e) {
                    case ChangeEvent.Put p -> new PutView(p.revision(), EndpointView.of(p.endpoint()));
                    case ChangeEvent.Delete d -> new DeleteView(d.revision(), d.id().toString(), d.reason());
                });
    }

    record NamespaceView(String name, Instant createdAt) {
        static NamespaceView of(NamespaceRecord r) {
            return new NamespaceView(r.name(), r.createdAt());
        }
    }

    record ServiceView(
            String namespace, String name, Instant createdAt, long revision, Map<EndpointState, Long> endpoints) {}

    record LeaseView(String id, String ttl, int endpoints) {
        static LeaseView of(Lease l) {
            return new LeaseView(l.id(), Durations.format(l.ttl()), l.size());
        }
    }

    record WatchersView(
            String namespace, String service, long revision, List<WatcherStatus> watchers, List<String> pending) {}
}
