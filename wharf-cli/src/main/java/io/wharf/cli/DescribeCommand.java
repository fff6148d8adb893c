package io.wharf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code wharf describe task ID}: one scale-out task with all its rows. */
@Command(
        name = "describe",
        mixinStandardHelpOptions = true,
        description = "Show one object in full.",
        subcommands = {DescribeCommand.Task.class, DescribeCommand.Release.class})
final class DescribeCommand {
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
            JsonNode body = client.client().get("/v1/scale-outs/" + id);
            if (output.format == Output.Format.json) {
                output.print(System.out, body, body, List.of(), n -> List.of());
                return;
            }
            JsonNode t = body.get("task");
            System.out.println("task " + t.get("id").asText() + " for groups " + TaskViews.join(t.get("groups")));
            System.out.println("  " + TaskViews.progress(t));
            if (!t.get("reason").asText().isEmpty())
                System.out.println("  " + t.get("reason").asText());
            System.out.println();
            output.print(
                    System.out,
                    body,
                    body.get("services"),
                    List.of("SERVICE", "STATUS", "NODES", "TARGET", "REASON"),
                    s -> List.of(
                            s.get("namespace").asText() + "/" + s.get("service").asText(),
                            s.get("status").asText(),
                            s.get("nodes").asText(),
                            s.get("targetVersion").asText().isEmpty()
                                    ? "-"
                                    : s.get("targetVersion").asText(),
                            s.get("reason").asText()));
            System.out.println();
            output.print(
                    System.out,
                    body,
                    body.get("containers"),
                    List.of("CONTAINER", "STATUS", "SINCE CREATED", "REASON"),
                    c -> List.of(
                            c.get("id").asText(),
                            c.get("status").asText(),
                            TaskViews.seconds(c.get("elapsedMillis").asLong()),
                            c.get("reason").asText()));
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
            JsonNode r = client.client().get("/v1/releases/" + id);
            if (output.format == Output.Format.json) {
                output.print(System.out, r, r, List.of(), n -> List.of());
                return;
            }
            System.out.println("release " + r.get("id").asText() + " of "
                    + r.get("namespace").asText() + "/"
                    + r.get("service").asText() + " to " + r.get("version").asText() + ": "
                    + r.get("status").asText()
                    + (r.get("reason").asText().isEmpty()
                            ? ""
                            : " (" + r.get("reason").asText() + ")"));
            System.out.println("  " + r.get("mode").asText() + ", parallelism "
                    + r.get("parallelism").asInt() + ", drain timeout "
                    + r.get("drainTimeoutMillis").asLong() + " ms, "
                    + r.get("healthChecks").asInt()
                    + " health checks, rollback " + r.get("rollback").asBoolean());
            if (r.get("mode").asText().equals("start-first")) {
                System.out.println("  watch " + r.get("watchMillis").asLong() + " ms, max error rate "
                        + r.get("maxErrorRate").asDouble() + ", max latency ratio "
                        + r.get("maxLatencyRatio").asDouble());
            }
            r.get("endpoints").forEach(e -> System.out.println("  " + ReleaseViews.endpointLine(e)));
        }
    }
}
