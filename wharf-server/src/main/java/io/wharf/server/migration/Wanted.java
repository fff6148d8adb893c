package io.wharf.server.migration;

import io.wharf.client.wire.ClientDesired;
import io.wharf.client.wire.ClientReport;
import io.wharf.client.wire.DesiredInterface;
import io.wharf.client.wire.InterfaceState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a migration wants of one SDK instance at each step, and whether the instance's report shows it done: pure
 * functions of the migration's state and the report, used both to answer the instance and to judge the step.
 */
final class Wanted {
    private Wanted() {}

    /** What an instance is to a migration: a provider of its services, a consumer of them, or both. */
    record Roles(boolean provider, boolean consumer) {
        boolean any() {
            return provider || consumer;
        }

        String describe() {
            return provider && consumer ? "provider and consumer" : provider ? "provider" : "consumer";
        }
    }

    /** The instance's roles in {@code m}, from what it registers and follows; none if it uses neither side. */
    static Roles roles(MigrationState m, ClientReport r) {
        if (!r.interfaces().contains(m.from().name()) && !r.interfaces().contains(m.to().name())) {
            return new Roles(false, false);
        }
        boolean provider = false;
        for (String registered : r.registered()) {
            int slash = registered.indexOf('/');
            provider |= slash > 0 && m.services().contains(registered.substring(0, slash));
        }
        boolean consumer = false;
        for (String followed : r.follows().keySet()) {
            consumer |= m.services().contains(followed);
        }
        return new Roles(provider, consumer);
    }

    /** The interfaces an instance with {@code roles} is to use while {@code m} is at {@code phase}. */
    static ClientDesired of(MigrationState m, Phase phase, Roles roles) {
        DesiredInterface from = new DesiredInterface(m.from().name(), m.from().address(), "");
        DesiredInterface to = new DesiredInterface(m.to().name(), m.to().address(), m.to().packageDigest());
        if (phase == Phase.SWITCH_BACK || phase == Phase.SWITCHED_BACK) {
            return new ClientDesired(m.id(), List.of(from), from.name());
        }
        if (phase == Phase.DONE) {
            return new ClientDesired(m.id(), List.of(to), to.name());
        }
        boolean attachNew = roles.provider() || (roles.consumer() && phase.atLeast(Phase.CONSUMERS_ATTACH));
        boolean keepOld =
                roles.provider() ? !phase.atLeast(Phase.PROVIDERS_DETACH) : !phase.atLeast(Phase.CONSUMERS_DETACH);
        boolean primaryNew = !keepOld || (roles.consumer() && phase.atLeast(Phase.SWITCH));
        List<DesiredInterface> use = new ArrayList<>();
        if (keepOld) use.add(from);
        if (attachNew) use.add(to);
        return new ClientDesired(m.id(), use, primaryNew ? to.name() : from.name());
    }

    /**
     * What the instance's report lacks of {@code want}, for people (e.g. {@code native not installed}); empty
     * when it shows everything in place: each interface installed and no other, the right one primary, every
     * registration made through the new one, every followed service answered through it.
     */
    static Optional<String> lacking(MigrationState m, ClientReport r, ClientDesired want, Roles roles) {
        Set<String> names = new HashSet<>();
        for (DesiredInterface d : want.interfaces()) names.add(d.name());
        for (String name : names) {
            if (!r.interfaces().contains(name)) return Optional.of(name + " not installed");
        }
        for (String name : r.interfaces()) {
            if (!names.contains(name)) return Optional.of(name + " still loaded");
        }
        if (!r.primary().equals(want.primary())) return Optional.of("still picking from " + r.primary());
        String to = m.to().name();
        if (names.contains(to)) {
            InterfaceState s = r.states().get(to);
            int registered = s == null ? 0 : s.registered();
            if (roles.provider() && registered < r.registered().size()) {
                return Optional.of(registered + " of " + r.registered().size() + " registered through " + to);
            }
            if (roles.consumer()) {
                for (Map.Entry<String, Map<String, Integer>> f : r.follows().entrySet()) {
                    if (m.services().contains(f.getKey()) && !f.getValue().containsKey(to)) {
                        return Optional.of(f.getKey() + " not answered through " + to + " yet");
                    }
                }
            }
        }
        return Optional.empty();
    }
}
