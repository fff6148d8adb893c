package io.wharf.server.operation;

import java.util.List;

/** What applies a step's intents: {@link Actions}; a test records them instead. */
@FunctionalInterface
public interface IntentApplier {
    /** Applies {@code intents} for the operation {@code owner}; returns what a view cannot show. */
    List<Outcome> apply(String owner, List<Intent> intents);
}
