package io.wharf.server.operation;

import io.wharf.core.registry.ServiceKey;
import io.wharf.server.cluster.ClusterView;
import java.util.Set;

/** Where the engine's views come from: the cluster; a test gives a fake. */
@FunctionalInterface
public interface ViewSource {
    /** A snapshot with {@code services} in it. */
    ClusterView view(Set<ServiceKey> services);
}
