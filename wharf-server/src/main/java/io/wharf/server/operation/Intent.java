package io.wharf.server.operation;

import io.wharf.client.wire.Registration;
import io.wharf.core.registry.ServiceKey;
import io.wharf.core.spec.ImageRef;
import java.util.List;

/**
 * A change a step of an operation asks for. Steps only return intents; {@link Actions} applies them. Every
 * intent is idempotent, so a step that is not sure an earlier one took effect simply asks again.
 */
public sealed interface Intent {
    /**
     * Places containers {@code ordinals} of a service running {@code image}, their agents' registration set as
     * {@code registration} says, and raises the service's count to cover them (claims 000.3, 000.6, 000.7).
     * Ordinals that find no room come back as {@link Outcome.NoRoom}.
     */
    record Place(ServiceKey service, List<Integer> ordinals, ImageRef image, Registration registration)
            implements Intent {
        public Place {
            ordinals = List.copyOf(ordinals);
        }
    }

    /** Stops containers of a service and lowers its count by as many as were running. */
    record TakeBack(ServiceKey service, List<String> containers) implements Intent {
        public TakeBack {
            containers = List.copyOf(containers);
        }
    }

    /** Stops drained containers of a service, leaving its count as it is: the end of a scale-in. */
    record Stop(ServiceKey service, List<String> containers) implements Intent {
        public Stop {
            containers = List.copyOf(containers);
        }
    }

    /** Gives a container another version of its image (claim 001.5). */
    record SetImage(String container, String version) implements Intent {}

    /** Pauses or resumes the agent's registration of a container's endpoint (claims 001.3, 001.7). */
    record SetRegistration(String container, Registration registration) implements Intent {}

    /** Registers a container's endpoint, on its host's lease, as running {@code version} (claim 001.6). */
    record Register(ServiceKey service, String container, String version) implements Intent {}

    /** Takes an endpoint out of the registry (claim 001.2). */
    record Deregister(ServiceKey service, String endpoint) implements Intent {}

    /** Makes {@code image} the version a service's spec names, for containers placed from now on. */
    record SetSpecImage(ServiceKey service, ImageRef image) implements Intent {}
}
