package io.wharf.server.release;

import io.wharf.server.operation.Intent;
import java.util.List;

/** One endpoint's step: where it is now and the intents that take it there. */
record Move(EndpointRelease endpoint, List<Intent> intents) {
    Move {
        intents = List.copyOf(intents);
    }

    static Move stay(EndpointRelease e, String waitingFor, Intent... reassert) {
        return new Move(e.edit().waitingFor(waitingFor).done(), List.of(reassert));
    }
}
