package io.wharf.server.api;

import io.wharf.client.wire.EndpointDeleted;
import io.wharf.client.wire.EndpointInfo;
import io.wharf.client.wire.EndpointPut;
import io.wharf.client.wire.LeaseInfo;
import io.wharf.client.wire.NamespaceInfo;
import io.wharf.client.wire.ServiceEndpoints;
import io.wharf.client.wire.WatcherInfo;
import io.wharf.client.wire.WatcherKind;
import io.wharf.core.Durations;
import io.wharf.server.registry.ChangeEvent;
import io.wharf.server.registry.Lease;
import io.wharf.server.registry.RegisteredEndpoint;
import io.wharf.server.registry.Snapshot;
import io.wharf.server.registry.WatcherStatus;
import io.wharf.store.NamespaceRecord;

/** The registry's answers, as the wire model has them. */
final class Views {
    private Views() {}

    static EndpointInfo endpoint(RegisteredEndpoint r) {
        var e = r.endpoint();
        return new EndpointInfo(
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

    static byte[] encode(Snapshot s) {
        return Json.write(new ServiceEndpoints(
                s.service().namespace(),
                s.service().service(),
                s.revision(),
                s.endpoints().stream().map(Views::endpoint).toList()));
    }

    static String eventName(ChangeEvent e) {
        return switch (e) {
            case ChangeEvent.Put p -> "put";
            case ChangeEvent.Delete d -> "delete";
        };
    }

    static byte[] encodeEvent(ChangeEvent e) {
        return Json.write(
                switch (e) {
                    case ChangeEvent.Put p -> new EndpointPut(p.revision(), endpoint(p.endpoint()));
                    case ChangeEvent.Delete d -> new EndpointDeleted(d.revision(), d.id().toString(), d.reason());
                });
    }

    static NamespaceInfo namespace(NamespaceRecord r) {
        return new NamespaceInfo(r.name(), r.createdAt());
    }

    static LeaseInfo lease(Lease l) {
        return new LeaseInfo(l.id(), Durations.format(l.ttl()), l.size());
    }

    static WatcherInfo watcher(WatcherStatus w) {
        return new WatcherInfo(
                w.id(), WatcherKind.valueOf(w.kind().name()), w.acknowledged(), w.connected(), w.acknowledges());
    }
}
