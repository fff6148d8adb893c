package io.wharf.server.cluster;

import io.wharf.client.wire.Protocol;
import io.wharf.core.registry.ServiceKey;
import io.wharf.core.spec.PortSpec;
import io.wharf.core.spec.ServiceSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A published port of a service, as load balancers serve it (claim 004.4). */
public record LbRoute(
        ServiceKey service,
        Protocol protocol,
        int external,
        int port,
        String contextPath,
        String rule,
        Optional<String> hashHeader,
        Duration slowStart) {

    /** The published ports of a spec. */
    static List<LbRoute> of(ServiceSpec spec) {
        List<LbRoute> out = new ArrayList<>();
        for (PortSpec p : spec.ports()) {
            p.external()
                    .ifPresent(ext -> out.add(new LbRoute(
                            spec.key(),
                            p.protocol(),
                            ext,
                            p.port(),
                            p.contextPath(),
                            spec.loadBalancer().rule(),
                            spec.loadBalancer().hashHeader(),
                            spec.loadBalancer().slowStart())));
        }
        return out;
    }

    /** Whether two routes claim the same external port: TCP alone, HTTP unless their context paths differ. */
    boolean collides(LbRoute other) {
        if (external != other.external) return false;
        if (protocol == Protocol.TCP || other.protocol == Protocol.TCP) return true;
        return contextPath.equals(other.contextPath);
    }
}
