package io.wharf.server.migration;

import java.util.Locale;

/** The steps of a migration, in order; the last two are its switch-back. */
public enum Phase {
    /** Providers install the new interface and register through it too (003.3, 003.4). */
    PROVIDERS_ATTACH,
    /** Consumers install it and follow their services through both, the old one still primary (003.4). */
    CONSUMERS_ATTACH,
    /** The addresses each interface shows every consumer are compared for the verify window (003.5). */
    VERIFY,
    /** Consumers pick from the new interface. */
    SWITCH,
    /** Calls through the new interface are watched for the watch window (003.5). */
    WATCH,
    /** Consumers unload the old interface (003.6). */
    CONSUMERS_DETACH,
    /** Providers deregister from the old interface and unload it (003.6). */
    PROVIDERS_DETACH,
    /** Everyone uses the new interface alone. */
    DONE,
    /** A check failed: everyone goes back to the old interface alone, the new one unloaded (003.5). */
    SWITCH_BACK,
    /** Everyone is back on the old interface. */
    SWITCHED_BACK;

    /** Its name in the API, e.g. {@code providers-attach}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    boolean atLeast(Phase other) {
        return ordinal() >= other.ordinal();
    }
}
