package io.wharf.server.migration;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stored state of one interface migration; every field a step reads is here, so a migration continues
 * where it was after a restart of the server.
 *
 * @param services the services whose providers and consumers move
 * @param phase the step it is at
 * @param phaseSince when it entered {@code phase}
 * @param steps every step it entered, in order, each with what it found
 * @param differentSince since when the two interfaces have shown some consumer different addresses, if they do
 * @param baseline per instance, its calls and failures through the new interface when consumers switched
 * @param members the instances taking part so far: each must take every step until it is gone (off the
 *     server's list of SDK instances, which a restart of the server empties: then it has {@link
 *     io.wharf.server.clients.Clients#FORGET_AFTER} to report again)
 * @param switchBackReason why it is switching back; empty unless it is
 */
public record MigrationState(
        String id,
        String namespace,
        List<String> services,
        Side from,
        Side to,
        long verifyMillis,
        long watchMillis,
        int maxAddressDiff,
        double maxErrorRate,
        long stepTimeoutMillis,
        Phase phase,
        Instant phaseSince,
        List<Entry> steps,
        Optional<Instant> differentSince,
        Map<String, Counted> baseline,
        List<String> members,
        String switchBackReason) {
    public MigrationState {
        services = List.copyOf(services);
        steps = List.copyOf(steps);
        baseline = Map.copyOf(baseline);
        members = List.copyOf(members);
    }

    /**
     * One side of the migration: an interface.
     *
     * @param name what SDK instances call it, e.g. {@code zookeeper}, {@code native}
     * @param address the registry it reaches; empty for this server
     * @param packageImage the image whose package holds it; empty when applications have it on their class path
     * @param packageDigest that package's sha256
     * @param packageBytes its size
     */
    public record Side(String name, String address, String packageImage, String packageDigest, long packageBytes) {}

    /** A step it entered: when, and what it found or waits for. */
    public record Entry(String step, Instant startedAt, String note) {}

    /** Calls made through an interface by one instance, and the failed ones among them. */
    public record Counted(long calls, long failures) {}

    Duration stepTimeout() {
        return Duration.ofMillis(stepTimeoutMillis);
    }

    /** This state in {@code next} from {@code now}, its steps with {@code next} begun. */
    MigrationState enter(Phase next, Instant now, String note) {
        List<Entry> s = new ArrayList<>(steps);
        s.add(new Entry(next.label(), now, note));
        return copy(next, now, s, Optional.empty(), baseline, members, switchBackReason);
    }

    /** This state with the current step's note saying {@code note}. */
    MigrationState noting(String note) {
        if (steps.isEmpty() || steps.get(steps.size() - 1).note().equals(note)) return this;
        List<Entry> s = new ArrayList<>(steps);
        Entry last = s.remove(s.size() - 1);
        s.add(new Entry(last.step(), last.startedAt(), note));
        return copy(phase, phaseSince, s, differentSince, baseline, members, switchBackReason);
    }

    MigrationState differentSince(Optional<Instant> since) {
        return copy(phase, phaseSince, steps, since, baseline, members, switchBackReason);
    }

    MigrationState members(List<String> taking) {
        if (taking.equals(members)) return this;
        return copy(phase, phaseSince, steps, differentSince, baseline, taking, switchBackReason);
    }

    MigrationState baseline(Map<String, Counted> counted) {
        return copy(phase, phaseSince, steps, differentSince, counted, members, switchBackReason);
    }

    /** This state switching back, for {@code reason}. */
    MigrationState switchingBack(Instant now, String reason) {
        MigrationState s = enter(Phase.SWITCH_BACK, now, "everyone back to " + from.name() + ": " + reason);
        return copy(s.phase, s.phaseSince, s.steps, Optional.empty(), baseline, members, reason);
    }

    /** This migration with what its steps change; what it was asked for stays. */
    private MigrationState copy(
            Phase phase,
            Instant phaseSince,
            List<Entry> steps,
            Optional<Instant> differentSince,
            Map<String, Counted> baseline,
            List<String> members,
            String switchBackReason) {
        return new MigrationState(
                id,
                namespace,
                services,
                from,
                to,
                verifyMillis,
                watchMillis,
                maxAddressDiff,
                maxErrorRate,
                stepTimeoutMillis,
                phase,
                phaseSince,
                steps,
                differentSince,
                baseline,
                members,
                switchBackReason);
    }
}
