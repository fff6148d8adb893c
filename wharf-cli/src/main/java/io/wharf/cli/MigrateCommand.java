package io.wharf.cli;

import io.wharf.client.OperationsApi;
import io.wharf.client.wire.MigrationInfo;
import io.wharf.client.wire.MigrationRequest;
import io.wharf.client.wire.OperationStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code wharf migrate --from zookeeper://… --to native}: move SDK instances to another registry interface. */
@Command(
        name = "migrate",
        mixinStandardHelpOptions = true,
        description = {
            "Move the SDK instances of a namespace from one registry interface to another, in place: no redeploy,"
                    + " no failed call.",
            "Providers install the new interface (from --package, verified by its sha256) and register through"
                    + " both; consumers install it and follow their services through both; the addresses each"
                    + " interface shows every consumer are compared for --verify; consumers switch to the new one and"
                    + " their calls are watched for --watch; consumers, then providers, unload the old one.",
            "A step not done within --step-timeout, an instance that cannot take the package, addresses that"
                    + " differ, or failed calls over --max-error-rate switch everyone back to the old interface.",
            "The migration is durable: it carries on after a restart of the server, and an instance that"
                    + " restarts is told the state it should be in. Follow it with 'wharf describe migration ID'."
        })
final class MigrateCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Mixin
    NamespaceOption namespace;

    @Option(
            names = "--from",
            required = true,
            paramLabel = "ADDRESS",
            description = "The interface in use, by its address, e.g. zookeeper://127.0.0.1:2181/services.")
    String from;

    @Option(
            names = "--to",
            required = true,
            paramLabel = "NAME",
            description = "The new interface's name, e.g. native.")
    String to;

    @Option(
            names = "--to-address",
            paramLabel = "ADDRESS",
            description = "The registry the new interface reaches (default: this server).")
    String toAddress;

    @Option(
            names = "--package",
            paramLabel = "IMAGE:VERSION",
            description = "The pushed image whose package holds the new interface (wharf image push"
                    + " wharf-interface-native:1 wharf-interface-native-package.jar); without it, applications"
                    + " must have the interface on their class path.")
    String packageImage;

    @Option(
            names = "--service",
            paramLabel = "SERVICE",
            description = "A service whose providers and consumers move; repeat for several (default: every service"
                    + " the namespace's instances use through the old interface).")
    List<String> services = new ArrayList<>();

    @Option(
            names = "--verify",
            paramLabel = "DURATION",
            description = "How long both interfaces must show every consumer the same addresses (default: 10s).")
    String verify;

    @Option(
            names = "--watch",
            paramLabel = "DURATION",
            description = "How long calls through the new interface are watched after the switch (default: the"
                    + " verify window).")
    String watch;

    @Option(
            names = "--max-address-diff",
            paramLabel = "N",
            description = "How many addresses the interfaces may disagree by, per consumer and service (default: 0).")
    Integer maxAddressDiff;

    @Option(
            names = "--max-error-rate",
            paramLabel = "RATE",
            description = "The share of calls through the new interface that may fail (default: 0.001).")
    Double maxErrorRate;

    @Option(
            names = "--step-timeout",
            paramLabel = "DURATION",
            description = "How long every instance has to take a step (default: 60s).")
    String stepTimeout;

    @Option(names = "--wait", description = "Print each step until the migration ends; exit 1 unless it completed.")
    boolean await;

    @Override
    public Integer call() throws Exception {
        OperationsApi api = client.client().operations();
        MigrationInfo m = api.migrate(new MigrationRequest(
                namespace.namespace,
                from,
                to,
                toAddress,
                packageImage,
                services,
                verify,
                watch,
                maxAddressDiff,
                maxErrorRate,
                stepTimeout));
        String id = m.id();
        System.out.println("migration " + id + " of " + m.namespace() + " " + String.join(",", m.services()) + " from "
                + m.from() + " to " + m.to());
        if (!await) {
            System.out.println("follow it with: wharf describe migration " + id);
            return 0;
        }
        // each step once it begins, and again whenever what it says changes
        List<String> printed = new ArrayList<>();
        while (true) {
            m = api.getMigration(id);
            for (int i = 0; i < m.steps().size(); i++) {
                String line = MigrationViews.stepLine(m.steps().get(i));
                if (i < printed.size() && printed.get(i).equals(line)) continue;
                System.out.println(line);
                if (i < printed.size()) printed.set(i, line);
                else printed.add(line);
            }
            if (m.status() != OperationStatus.RUNNING) {
                System.out.println(m.status() + ": " + m.reason());
                return m.status() == OperationStatus.COMPLETED ? 0 : 1;
            }
            Thread.sleep(500);
        }
    }
}
