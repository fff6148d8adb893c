package io.wharf.client.sdk;

import java.util.Locale;

/** How a {@link Discovery} picks among a service's instances: the rules Wharf's load balancers use. */
public enum Rule {
    /** Each instance in turn. */
    ROUND_ROBIN,
    /** In turn, in proportion to weight, interleaved (smooth weighted round robin). */
    WEIGHTED_ROUND_ROBIN,
    /** The instance with the fewest calls in flight (counted by {@link Discovery#start()}). */
    LEAST_CONNECTIONS,
    /** Two instances at random, the one with fewer calls in flight. */
    POWER_OF_TWO_CHOICES,
    /** The same key to the same instance while it is there (rendezvous hashing). */
    CONSISTENT_HASH;

    /** Its name as service specs write it: {@code round-robin}, {@code consistent-hash}, … */
    public String text() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses a rule's name, case-insensitive, {@code -} or {@code _}. */
    public static Rule parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
