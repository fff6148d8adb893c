package io.wharf.server.clients;

import io.wharf.client.wire.ClientReport;
import io.wharf.client.wire.InterfaceState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

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
    private final Instant since;
    private final List<Runnable> onReport = new CopyOnWriteArrayList<>();

    public Clients(Clock clock) {
        this.clock = clock;
        this.since = clock.instant();
    }

    /** When this table began taking reports: the server's start. */
    public Instant since() {
        return since;
    }

    /**
     * Runs {@code listener} after a report that changes what the instance uses — its interfaces, primary,
     * registrations, what each interface shows it, its error — not after one that only moves its counters (it must
     * be quick: waking someone up).
     */
    public void onReport(Runnable listener) {
        onReport.add(listener);
    }

    /** Takes in a report. */
    public void reported(String namespace, String instance, ClientReport report) {
        Seen seen = new Seen(namespace, instance, report, clock.instant());
        Seen was = byKey.put(key(namespace, instance), seen);
        if (was == null || !sameUse(was.report(), report)) onReport.forEach(Runnable::run);
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

    /** Every instance that reported within {@link #FORGET_AFTER}. */
    public List<Seen> all() {
        Instant oldest = clock.instant().minus(FORGET_AFTER);
        byKey.values().removeIf(s -> s.at().isBefore(oldest));
        return List.copyOf(byKey.values());
    }

    private static String key(String namespace, String instance) {
        return namespace + "/" + instance;
    }

    /** Whether two reports say the same of what the instance uses, whatever their counters and times. */
    static boolean sameUse(ClientReport a, ClientReport b) {
        if (!a.interfaces().equals(b.interfaces())
                || !a.primary().equals(b.primary())
                || !a.registered().equals(b.registered())
                || !a.follows().equals(b.follows())
                || !a.error().equals(b.error())
                || !a.states().keySet().equals(b.states().keySet())) {
            return false;
        }
        for (Map.Entry<String, InterfaceState> e : a.states().entrySet()) {
            InterfaceState other = b.states().get(e.getKey());
            if (e.getValue().registered() != other.registered()
                    || !e.getValue().packageDigest().equals(other.packageDigest())) {
                return false;
            }
        }
        return true;
    }
}
