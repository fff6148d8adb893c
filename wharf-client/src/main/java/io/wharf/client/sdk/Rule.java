package io.wharf.client.sdk;

import java.util.Locale;

/**
 * How requests are spread over a service's endpoints: by Wharf's load balancers (the service spec's {@code
 * loadBalancer.rule}) and by an SDK's {@link Discovery} views alike.
 */
public enum Rule {
    /** Each in turn. */
    ROUND_ROBIN,
    /** In turn, in proportion to weight, interleaved (smooth weighted round robin). */
    WEIGHTED_ROUND_ROBIN,
    /** The one with the fewest requests in flight (in an SDK view: calls counted by {@link Discovery#start()}). */
    LEAST_CONNECTIONS,
    /** Two at random, the one with fewer in flight. */
    POWER_OF_TWO_CHOICES,
    /** The same key (a client address, a header, an SDK's pick key) to the same endpoint while it is there. */
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
