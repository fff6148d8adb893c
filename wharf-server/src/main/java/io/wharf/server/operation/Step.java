package io.wharf.server.operation;

import java.time.Duration;
import java.util.List;

/**
 * What one step of an operation decided: its next state, the intents to apply, and whether it goes on.
 *
 * @param <S> the state of the operation's kind
 */
public sealed interface Step<S> {
    S state();

    List<Intent> intents();

    /** It goes on; step it again after {@code recheckAfter}, or sooner if something changes. */
    record Continue<S>(S state, List<Intent> intents, Duration recheckAfter) implements Step<S> {
        public Continue {
            intents = List.copyOf(intents);
        }
    }

    /** It did all it was asked; {@code summary} says what, for people. */
    record Done<S>(S state, List<Intent> intents, String summary) implements Step<S> {
        public Done {
            intents = List.copyOf(intents);
        }
    }

    /** It stopped without doing all it was asked; {@code reason} says why. */
    record Failed<S>(S state, List<Intent> intents, String reason) implements Step<S> {
        public Failed {
            intents = List.copyOf(intents);
        }
    }
}
