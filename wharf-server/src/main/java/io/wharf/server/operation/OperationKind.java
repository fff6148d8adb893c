package io.wharf.server.operation;

import io.wharf.core.registry.ServiceKey;
import io.wharf.server.cluster.ClusterView;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One kind of long operation: a release, a scale-out task. Its steps are pure functions of its state and a
 * {@link ClusterView}; the {@link OperationEngine} stores each state and applies the intents.
 *
 * @param <S> its state: an immutable record, stored as JSON after every step
 */
public interface OperationKind<S> {
    /** Its name in the store and the logs, e.g. {@code release}. */
    String name();

    /** The class of its state, to read it back from the store. */
    Class<S> stateType();

    /** What it acts on, for listings, e.g. {@code default/demo}. */
    String subject(S state);

    /**
     * The services it reads and holds now. While it holds one, no other operation may start on it; its views
     * show each.
     */
    Set<ServiceKey> services(S state);

    /** The next step, decided from {@code state} and {@code view} alone. */
    Step<S> step(S state, ClusterView view);

    /** Its state once the outcomes of the last step's intents are taken in. */
    default S applied(S state, List<Outcome> outcomes, Instant now) {
        return state;
    }

    /**
     * What to undo when it is given up after failing too often, so that nothing it began is left half done
     * (an endpoint out of the registry, an agent paused). Applied on a best-effort basis.
     */
    default List<Intent> abandon(S state) {
        return List.of();
    }
}
