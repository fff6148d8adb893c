package io.wharf.store;

import io.wharf.core.registry.ServiceKey;
import java.util.List;

/** The autoscaler's decisions, the newest of each service. */
public interface AutoscaleStore {
    /** Adds a decision and keeps only the newest {@code keep} of its service. */
    void record(AutoscaleDecisionRecord decision, int keep);

    /** The newest {@code limit} decisions of a service, newest first. */
    List<AutoscaleDecisionRecord> recent(ServiceKey service, int limit);
}
