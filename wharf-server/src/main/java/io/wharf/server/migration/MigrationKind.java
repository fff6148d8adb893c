package io.wharf.server.migration;

import io.wharf.client.wire.ClientDesired;
import io.wharf.client.wire.ClientReport;
import io.wharf.client.wire.InterfaceState;
import io.wharf.core.Durations;
import io.wharf.core.registry.ServiceKey;
import io.wharf.server.clients.Clients;
import io.wharf.server.cluster.ClusterView;
import io.wharf.server.operation.OperationKind;
import io.wharf.server.operation.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An in-place registry interface migration (claims 003.2–003.7) as a kind of operation. It changes nothing
 * itself: each SDK instance is handed the interfaces {@link Wanted} says for the step the migration is at, in
 * answer to its report, and each step waits until every instance's report shows them in place, then checks what
 * the step is for. A step not done within the step timeout, an instance that cannot take the new interface,
 * addresses that differ between the interfaces, or failed calls through the new one switch everyone back.
 */
public final class MigrationKind implements OperationKind<MigrationState> {
    /** How long the interfaces may show a consumer different addresses before it counts (a change in flight). */
    static final Duration GRACE = Duration.ofSeconds(3);

    private static final Duration RECHECK = Duration.ofMillis(500);

    @Override
    public String name() {
        return "migration";
    }

    @Override
    public Class<MigrationState> stateType() {
        return MigrationState.class;
    }

    @Override
    public String subject(MigrationState s) {
        return s.namespace() + " " + s.from().name() + "→" + s.to().name();
    }

    @Override
    public Set<ServiceKey> services(MigrationState s) {
        Set<ServiceKey> keys = new LinkedHashSet<>();
        for (String service : s.services()) keys.add(new ServiceKey(s.namespace(), service));
        return keys;
    }

    /** An instance taking part: its last report and its roles. */
    private record Member(String instance, ClientReport report, Wanted.Roles roles, Instant at) {
        /** How long it has been silent, when that is longer than a few reports take. */
        String silence(Instant now) {
            Duration silent = Duration.between(at, now);
            return silent.compareTo(Duration.ofSeconds(3)) < 0 ? "" : " (silent for " + silent.toSeconds() + "s)";
        }
    }

    @Override
    public Step<MigrationState> step(MigrationState m, ClusterView view) {
        Instant now = view.now();
        List<Member> members = members(m, view.clients().seen());
        // an instance that took part and is off the list is gone, unless the server started too lately to know
        List<String> unheard = new ArrayList<>();
        if (Duration.between(view.clients().since(), now).compareTo(Clients.FORGET_AFTER) < 0) {
            for (String instance : m.members()) {
                if (members.stream().noneMatch(x -> x.instance().equals(instance))) unheard.add(instance);
            }
        }
        List<String> taking = new ArrayList<>(unheard);
        members.forEach(x -> taking.add(x.instance()));
        m = m.members(taking.stream().sorted().toList());
        if (m.phase() == Phase.SWITCH_BACK) return switchBack(m, members, unheard, now);

        // an instance that cannot take the new interface: no point waiting for it
        for (Member x : members) {
            if (!x.report().error().isEmpty()) {
                return back(
                        m,
                        now,
                        x.instance() + " could not take " + m.to().name() + ": "
                                + x.report().error());
            }
        }
        if (m.phase() == Phase.VERIFY || m.phase() == Phase.WATCH) {
            Optional<String> different = different(m, members);
            if (different.isPresent()) {
                Instant since = m.differentSince().orElse(now);
                if (Duration.between(since, now).compareTo(GRACE) >= 0) {
                    return back(
                            m, now, "the interfaces disagree for " + Durations.format(GRACE) + ": " + different.get());
                }
                m = m.differentSince(Optional.of(since));
            } else {
                m = m.differentSince(Optional.empty());
            }
        }
        if (m.phase() == Phase.WATCH) {
            MigrationState.Counted through = since(m, members);
            if (through.failures() > 0 && through.failures() > m.maxErrorRate() * through.calls()) {
                return back(
                        m,
                        now,
                        String.format(
                                "calls through %s: %,d of %,d failed (more than %s)",
                                m.to().name(), through.failures(), through.calls(), percent(m.maxErrorRate())));
            }
        }
        List<String> lagging = new ArrayList<>();
        for (String instance : unheard) lagging.add(instance + ": not heard from since the server started");
        for (Member x : members) {
            ClientDesired want = Wanted.of(m, m.phase(), x.roles());
            Wanted.lacking(m, x.report(), want, x.roles())
                    .ifPresent(what -> lagging.add(x.instance() + ": " + what + x.silence(now)));
        }
        if (!lagging.isEmpty()) {
            String waiting = lagging.size() + " of " + taking.size() + " instances not there yet — "
                    + String.join("; ", lagging.subList(0, Math.min(5, lagging.size())))
                    + (lagging.size() > 5 ? "; …" : "");
            if (Duration.between(m.phaseSince(), now).compareTo(m.stepTimeout()) > 0) {
                return back(
                        m,
                        now,
                        m.phase().label() + " not done within " + Durations.format(m.stepTimeout()) + ": " + waiting);
            }
            return goOn(m.noting(waiting));
        }
        return next(m, members, now);
    }

    private Step<MigrationState> next(MigrationState m, List<Member> members, Instant now) {
        long providers = members.stream().filter(x -> x.roles().provider()).count();
        long consumers = members.stream().filter(x -> x.roles().consumer()).count();
        String to = m.to().name();
        String from = m.from().name();
        switch (m.phase()) {
            case PROVIDERS_ATTACH -> {
                return goOn(m.noting(providers + " providers registered through " + to + " too")
                        .enter(Phase.CONSUMERS_ATTACH, now, "consumers install " + to));
            }
            case CONSUMERS_ATTACH -> {
                return goOn(m.noting(consumers + " consumers follow their services through " + to + " too")
                        .enter(Phase.VERIFY, now, "comparing addresses"));
            }
            case VERIFY -> {
                if (Duration.between(m.phaseSince(), now).toMillis() < m.verifyMillis()) {
                    return goOn(m.noting("addresses agree so far (" + consumers + " consumers); verify window "
                            + Durations.format(Duration.ofMillis(m.verifyMillis()))));
                }
                return goOn(m.noting("addresses agreed for " + Durations.format(Duration.ofMillis(m.verifyMillis()))
                                + " (" + consumers + " consumers)")
                        .enter(Phase.SWITCH, now, "consumers switch to " + to));
            }
            case SWITCH -> {
                Map<String, MigrationState.Counted> baseline = new LinkedHashMap<>();
                for (Member x : members) baseline.put(x.instance(), counted(x.report(), to));
                return goOn(m.noting(consumers + " consumers pick from " + to)
                        .baseline(baseline)
                        .enter(Phase.WATCH, now, "watching calls through " + to));
            }
            case WATCH -> {
                MigrationState.Counted through = since(m, members);
                String calls =
                        String.format("%,d calls through %s, %,d failed", through.calls(), to, through.failures());
                if (Duration.between(m.phaseSince(), now).toMillis() < m.watchMillis()) {
                    return goOn(m.noting(calls + " so far"));
                }
                return goOn(m.noting(calls).enter(Phase.CONSUMERS_DETACH, now, "consumers unload " + from));
            }
            case CONSUMERS_DETACH -> {
                return goOn(m.noting("consumers unloaded " + from)
                        .enter(Phase.PROVIDERS_DETACH, now, "providers deregister from " + from + " and unload it"));
            }
            case PROVIDERS_DETACH -> {
                MigrationState done = m.noting(providers + " providers deregistered from " + from + " and unloaded it")
                        .enter(Phase.DONE, now, "");
                return new Step.Done<>(
                        done,
                        List.of(),
                        "moved " + members.size() + " SDK instances (" + providers + " providers, " + consumers
                                + " consumers) of " + String.join(", ", m.services()) + " from " + from + " to " + to);
            }
            default -> throw new IllegalStateException("migration " + m.id() + " is at " + m.phase());
        }
    }

    private Step<MigrationState> switchBack(MigrationState m, List<Member> members, List<String> unheard, Instant now) {
        List<String> notBack = new ArrayList<>();
        for (String instance : unheard) notBack.add(instance + ": not heard from since the server started");
        for (Member x : members) {
            ClientDesired want = Wanted.of(m, Phase.SWITCH_BACK, x.roles());
            Wanted.lacking(m, x.report(), want, x.roles())
                    .ifPresent(what -> notBack.add(x.instance() + ": " + what + x.silence(now)));
        }
        if (notBack.isEmpty()) {
            return new Step.Failed<>(
                    m.noting("every instance back on " + m.from().name() + " alone")
                            .enter(Phase.SWITCHED_BACK, now, ""),
                    List.of(),
                    "switched back to " + m.from().name() + ": " + m.switchBackReason());
        }
        String waiting = notBack.size() + " instances not back yet — "
                + String.join("; ", notBack.subList(0, Math.min(5, notBack.size())));
        if (Duration.between(m.phaseSince(), now).compareTo(m.stepTimeout()) > 0) {
            // they are told to go back at every report from now on; the migration itself is over
            return new Step.Failed<>(
                    m.noting(waiting).enter(Phase.SWITCHED_BACK, now, ""),
                    List.of(),
                    "switched back to " + m.from().name() + ": " + m.switchBackReason() + " (" + waiting
                            + ": they go back as they next report)");
        }
        return goOn(m.noting(waiting));
    }

    private static Step<MigrationState> back(MigrationState m, Instant now, String reason) {
        return goOn(m.noting(m.steps().get(m.steps().size() - 1).note() + " — " + reason)
                .switchingBack(now, reason));
    }

    private static Step<MigrationState> goOn(MigrationState m) {
        return new Step.Continue<>(m, List.of(), RECHECK);
    }

    /** The instances on the server's list that take part: an instance silent for a while is still on it. */
    private static List<Member> members(MigrationState m, List<Clients.Seen> seen) {
        List<Member> out = new ArrayList<>();
        for (Clients.Seen s : seen) {
            if (!s.namespace().equals(m.namespace())) continue;
            Wanted.Roles roles = Wanted.roles(m, s.report());
            if (roles.any()) out.add(new Member(s.instance(), s.report(), roles, s.at()));
        }
        return out;
    }

    /** The first consumer and service for which the two interfaces show counts further apart than allowed. */
    private static Optional<String> different(MigrationState m, List<Member> members) {
        for (Member x : members) {
            if (!x.roles().consumer()) continue;
            for (Map.Entry<String, Map<String, Integer>> f :
                    x.report().follows().entrySet()) {
                if (!m.services().contains(f.getKey())) continue;
                Integer old = f.getValue().get(m.from().name());
                Integer now = f.getValue().get(m.to().name());
                if (old == null || now == null) continue;
                if (Math.abs(old - now) > m.maxAddressDiff()) {
                    return Optional.of(x.instance() + " sees " + f.getKey() + " at " + old + " addresses through "
                            + m.from().name() + " and " + now + " through " + m.to().name() + " (at most "
                            + m.maxAddressDiff() + " apart)");
                }
            }
        }
        return Optional.empty();
    }

    /** Calls and failures through the new interface since the switch, over the instances taking part. */
    private static MigrationState.Counted since(MigrationState m, List<Member> members) {
        long calls = 0;
        long failures = 0;
        for (Member x : members) {
            MigrationState.Counted now = counted(x.report(), m.to().name());
            MigrationState.Counted then = m.baseline().getOrDefault(x.instance(), new MigrationState.Counted(0, 0));
            // an instance that restarted counts from zero again
            boolean restarted = now.calls() < then.calls();
            calls += restarted ? now.calls() : now.calls() - then.calls();
            failures += restarted ? now.failures() : Math.max(0, now.failures() - then.failures());
        }
        return new MigrationState.Counted(calls, failures);
    }

    private static MigrationState.Counted counted(ClientReport r, String name) {
        InterfaceState s = r.states().get(name);
        return s == null ? new MigrationState.Counted(0, 0) : new MigrationState.Counted(s.calls(), s.failures());
    }

    private static String percent(double rate) {
        return String.format("%.3f%%", rate * 100).replaceAll("0+%$", "%").replaceAll("\\.%$", "%");
    }
}
