package io.wharf.lb.balance;

import java.util.List;
import java.util.Locale;

/** The balancing rules a service can ask for. */
public enum Rule {
    /** Each available backend in turn. */
    ROUND_ROBIN,
    /** In turn, in proportion to weight, interleaved (smooth weighted round robin). */
    WEIGHTED_ROUND_ROBIN,
    /** The backend with the fewest in flight; ties in turn. */
    LEAST_CONNECTIONS,
    /** Two backends at random, the one with fewer in flight. */
    POWER_OF_TWO_CHOICES,
    /** The same key (client address or a header) goes to the same backend while it is available. */
    CONSISTENT_HASH;

    /** A balancer of this rule over {@code backends}. */
    public Balancer over(List<Backend> backends) {
        return switch (this) {
            case ROUND_ROBIN -> new Balancers.RoundRobin(backends);
            case WEIGHTED_ROUND_ROBIN -> new Balancers.SmoothWeighted(backends);
            case LEAST_CONNECTIONS -> new Balancers.LeastConnections(backends);
            case POWER_OF_TWO_CHOICES -> new Balancers.PowerOfTwo(backends);
            case CONSISTENT_HASH -> new ConsistentHash(backends);
        };
    }

    /** Its name as service specs write it: {@code round-robin}, {@code consistent-hash}, … */
    public String text() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses a rule's name, case-insensitive, {@code -} or {@code _}. */
    public static Rule parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
