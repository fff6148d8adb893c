package io.wharf.cli;

import io.wharf.client.wire.AutoscalerInfo;
import io.wharf.client.wire.IntakeInfo;
import io.wharf.client.wire.MigrationInfo;
import io.wharf.client.wire.ReleaseInfo;
import io.wharf.client.wire.ScaleInInfo;
import io.wharf.client.wire.ScaleOutInfo;
import io.wharf.client.wire.ScaleOutSummary;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code wharf describe}: one scale-out task, release, migration, autoscaler, scale-in or intake in full. */
@Command(
        name = "describe",
        mixinStandardHelpOptions = true,
        description = "Show one object in full.",
        subcommands = {
            DescribeCommand.Task.class,
            DescribeCommand.Release.class,
            DescribeCommand.Migration.class,
            DescribeCommand.Autoscaler.class,
            DescribeCommand.ScaleIn.class,
            DescribeCommand.Intake.class
        })
final class DescribeCommand {
    @Command(
            name = "intake",
            mixinStandardHelpOptions = true,
            description = "A service's fair intake: where it listens, and how far each stage has got (held for"
                    + " re-ordering, ordered, late, handled, waiting), the watermark's lag.")
    static final class Intake implements Runnable {
        @Mixin
        ClientOptions client;

        @Mixin
        Output output;

        @Mixin
        NamespaceOption ns;

        @Parameters(paramLabel = "SERVICE", description = "The service.")
        String service;

        @Override
        public void run() {
            byte[] raw = client.client().getRaw("/v1/namespaces/" + ns.namespace + "/services/" + service + "/intake");
            if (output.json()) {
                Output.raw(System.out, raw);
                return;
            }
            IntakeInfo i = Docs.read(raw, IntakeInfo.class);
            System.out.println("intake of " + i.namespace() + "/" + i.service() + " at " + i.address() + " ("
                    + i.backend() + ", skew " + i.skewMillis() + " ms)");
            System.out.println("  held " + i.held() + ", ordered " + i.ordered() + " (" + i.late() + " late), handled "
                    + i.dispatched() + ", waiting " + i.waiting());
            System.out.println("  watermark "
                    + (i.watermarkLagMillis() < 0 ? "not yet set" : i.watermarkLagMillis() + " ms behind now"));
        }
    }

    @Command(
            name = "task",
            mixinStandardHelpOptions = true,
            description = "A scale-out task: its services (nodes, target version, status, reason) and the containers"
                    + " it creates (status, timings, reason).")
    static final class Task implements Runnable {
        @Mixin
        ClientOptions client;

        @Mixin
        Output output;

        @Parameters(paramLabel = "ID", description = "The task, as 'wharf get tasks' lists it.")
        String id;

        @Override
        public void run() {
            byte[] raw = client.client().getRaw("/v1/scale-outs/" + id);
            if (output.json()) {
                Output.raw(System.out, raw);
                return;
            }
            ScaleOutInfo body = Docs.read(raw, ScaleOutInfo.class);
            ScaleOutSummary t = body.task();
            System.out.println("task " + t.id() + " for groups " + String.join(",", t.groups()));
            System.out.println("  " + TaskViews.progress(t));
            if (!t.reason().isEmpty()) System.out.println("  " + t.reason());
            if (!t.lastError().isEmpty()) System.out.println("  retrying after: " + t.lastError());
            System.out.println();
            Output.table(
                    System.out,
                    body.services(),
                    List.of("SERVICE", "STATUS", "NODES", "TARGET", "REASON"),
                    s -> List.of(
                            s.namespace() + "/" + s.service(),
                            s.status().name(),
                            String.valueOf(s.nodes()),
                            s.targetVersion().isEmpty() ? "-" : s.targetVersion(),
                            s.reason()));
            System.out.println();
            Output.table(
                    System.out,
                    body.containers(),
                    List.of("CONTAINER", "STATUS", "SINCE CREATED", "REASON"),
                    c -> List.of(c.id(), c.status().name(), TaskViews.seconds(c.elapsedMillis()), c.reason()));
        }
    }

    @Command(
            name = "release",
            mixinStandardHelpOptions = true,
            description = "A release: each endpoint's step, how its drain ended (acknowledged or timed out), its"
                    + " health checks, timings and reason.")
    static final class Release implements Runnable {
        @Mixin
        ClientOptions client;

        @Mixin
        Output output;

        @Parameters(paramLabel = "ID", description = "The release, as 'wharf get releases' lists it.")
        String id;

        @Override
        public void run() {
            byte[] raw = client.client().getRaw("/v1/releases/" + id);
            if (output.json()) {
                Output.raw(System.out, raw);
                return;
            }
            ReleaseInfo r = Docs.read(raw, ReleaseInfo.class);
            System.out.println("release " + r.id() + " of " + r.namespace() + "/" + r.service() + " to " + r.version()
                    + ": " + r.status() + (r.reason().isEmpty() ? "" : " (" + r.reason() + ")"));
            System.out.println("  " + r.mode() + ", parallelism " + r.parallelism() + ", drain timeout "
                    + r.drainTimeoutMillis() + " ms, " + r.healthChecks() + " health checks, rollback "
                    + r.rollback());
            if (r.mode().equals("start-first")) {
                System.out.println("  watch " + r.watchMillis() + " ms (the first fifth a warm-up), at least "
                        + r.minRequests() + " requests" + (r.allowUnwatched() ? " unless too few arrive" : "")
                        + ", max error rate " + r.maxErrorRate() + ", max latency ratio " + r.maxLatencyRatio());
            }
            if (!r.lastError().isEmpty()) System.out.println("  retrying after: " + r.lastError());
            r.endpoints().forEach(e -> System.out.println("  " + ReleaseViews.endpointLine(e)));
        }
    }

    @Command(
            name = "migration",
            mixinStandardHelpOptions = true,
            description = "A registry interface migration: what it moves, its settings, and each step with when it"
                    + " began and what it found; why it was switched back, if it was.")
    static final class Migration implements Runnable {
        @Mixin
        ClientOptions client;

        @Mixin
        Output output;

        @Parameters(paramLabel = "ID", description = "The migration, as 'wharf get migrations' lists it.")
        String id;

        @Override
        public void run() {
            byte[] raw = client.client().getRaw("/v1/migrations/" + id);
            if (output.json()) {
                Output.raw(System.out, raw);
                return;
            }
            MigrationInfo m = Docs.read(raw, MigrationInfo.class);
            System.out.println("migration " + m.id() + " of " + m.namespace() + " " + String.join(",", m.services())
                    + " from " + m.from() + " (" + m.fromAddress() + ") to " + m.to()
                    + (m.toAddress().isEmpty() ? "" : " (" + m.toAddress() + ")") + ": " + m.status()
                    + (m.reason().isEmpty() ? "" : " (" + m.reason() + ")"));
            System.out.println("  package "
                    + (m.packageImage().isEmpty()
                            ? "none (on the class path)"
                            : m.packageImage() + " sha256 " + m.packageDigest())
                    + ", verify " + m.verifyMillis() + " ms, watch "
                    + m.watchMillis() + " ms, max address diff " + m.maxAddressDiff() + ", max error rate "
                    + m.maxErrorRate() + ", step timeout " + m.stepTimeoutMillis() + " ms");
            if (!m.lastError().isEmpty()) System.out.println("  retrying after: " + m.lastError());
            m.steps().forEach(s -> System.out.println(MigrationViews.stepLine(s)));
        }
    }

    @Command(
            name = "autoscaler",
            mixinStandardHelpOptions = true,
            description = "A service's autoscaler: its bounds, each metric now against its target, what it makes of"
                    + " them, and its last 50 decisions (time, count before and after, reason, readings).")
    static final class Autoscaler implements Runnable {
        @Mixin
        ClientOptions client;

        @Mixin
        Output output;

        @Mixin
        NamespaceOption ns;

        @Parameters(paramLabel = "SERVICE", description = "The service.")
        String service;

        @Override
        public void run() {
            byte[] raw =
                    client.client().getRaw("/v1/namespaces/" + ns.namespace + "/services/" + service + "/autoscaler");
            if (output.json()) {
                Output.raw(System.out, raw);
                return;
            }
            AutoscalerInfo a = Docs.read(raw, AutoscalerInfo.class);
            System.out.println("autoscaler of " + a.namespace() + "/" + a.service() + ": " + a.ready() + " of "
                    + a.current() + " serving, desired " + a.desired() + " (min " + a.min() + ", max " + a.max() + ")");
            a.readings()
                    .forEach(r -> System.out.println("  " + AutoscaleViews.reading(r)
                            + (r.complete() ? "" : " (not every container reported lately)")));
            System.out.println("  " + a.holding().map(h -> "holding for " + h).orElse(a.state()));
            a.evaluatedAt().ifPresent(at -> System.out.println("  evaluated " + at));
            System.out.println();
            Output.table(
                    System.out,
                    a.decisions(),
                    List.of("TIME", "FROM", "TO", "REASON", "READINGS"),
                    d -> List.of(
                            d.at().toString(),
                            String.valueOf(d.from()),
                            String.valueOf(d.to()),
                            d.reason(),
                            d.readings()));
        }
    }

    @Command(
            name = "scale-in",
            mixinStandardHelpOptions = true,
            description = "A scale-in: why the count went down, and each container it takes away with its step"
                    + " (PENDING, DRAINING, STOPPED, KEPT), how its drain ended, or what it waits for.")
    static final class ScaleIn implements Runnable {
        @Mixin
        ClientOptions client;

        @Mixin
        Output output;

        @Parameters(paramLabel = "ID", description = "The scale-in, as 'wharf get scale-ins' lists it.")
        String id;

        @Override
        public void run() {
            byte[] raw = client.client().getRaw("/v1/scale-ins/" + id);
            if (output.json()) {
                Output.raw(System.out, raw);
                return;
            }
            ScaleInInfo s = Docs.read(raw, ScaleInInfo.class);
            System.out.println("scale-in " + s.id() + " of " + s.namespace() + "/" + s.service() + ": " + s.status()
                    + (s.outcome().isEmpty() ? "" : " (" + s.outcome() + ")"));
            System.out.println("  " + s.reason());
            System.out.println();
            Output.table(
                    System.out,
                    s.containers(),
                    List.of("CONTAINER", "ENDPOINT", "STEP", "DRAIN"),
                    c -> List.of(
                            c.container(),
                            c.endpoint(),
                            c.step(),
                            !c.drain().isEmpty()
                                    ? c.drain()
                                    : c.waitingFor().isEmpty() ? "-" : "waiting for " + c.waitingFor()));
        }
    }
}
