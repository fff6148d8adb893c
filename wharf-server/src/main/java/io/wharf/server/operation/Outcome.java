package io.wharf.server.operation;

import io.wharf.core.registry.ServiceKey;
import java.util.List;

/** What applying an intent said that the next view cannot show: handed back to the operation's kind. */
public sealed interface Outcome {
    /** Containers of a {@link Intent.Place} that found no ready host with room. */
    record NoRoom(ServiceKey service, List<Integer> ordinals) implements Outcome {
        public NoRoom {
            ordinals = List.copyOf(ordinals);
        }
    }
}
