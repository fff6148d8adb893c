package io.wharf.server.clients;

import io.wharf.client.wire.ClientReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SDK instances that reported lately, per namespace: what registry interfaces each uses, what it keeps
 * registered, what each interface shows it. Soft state: instances report every few seconds, so after a
 * restart of the server the table fills again by itself; one silent for {@link #FORGET_AFTER} is dropped.
 */
public final class Clients {
    /** How long an instance that stopped reporting stays listed. */
    public static final Duration FORGET_AFTER = Duration.ofSeconds(30);

    /** One instance's last report. */
    public record Seen(String namespace, String instance, ClientReport report, Instant at) {}

    private final Clock clock;
    private final Map<String, Seen> byKey = new ConcurrentHashMap<>();

    public Clients(Clock clock) {
        this.clock = clock;
    }

    /** Takes in a report. */
    public void reported(String namespace, String instance, ClientReport report) {
        byKey.put(key(namespace, instance), new Seen(namespace, instance, report, clock.instant()));
    }

    /** Drops an instance that said it is gone; false if it was not listed. */
    public boolean forget(String namespace, String instance) {
        return byKey.remove(key(namespace, instance)) != null;
    }

    /** The instances of {@code namespace} that reported within {@link #FORGET_AFTER}, by name. */
    public List<Seen> of(String namespace) {
        Instant oldest = clock.instant().minus(FORGET_AFTER);
        byKey.values().removeIf(s -> s.at().isBefore(oldest));
        return byKey.values().stream()
                .filter(s -> s.namespace().equals(namespace))
                .sorted(Comparator.comparing(Seen::instance))
                .toList();
    }

    private static String key(String namespace, String instance) {
        return namespace + "/" + instance;
    }
}
