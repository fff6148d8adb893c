package io.wharf.cli;

import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code wharf delete host|volume}: remove a host that has left for good, or a volume's data. */
@Command(
        name = "delete",
        mixinStandardHelpOptions = true,
        description = "Remove what has left for good.",
        subcommands = {DeleteCommand.Host.class, DeleteCommand.Volume.class})
final class DeleteCommand {
    @Command(
            name = "host",
            mixinStandardHelpOptions = true,
            description = {
                "Remove a host that is LOST (its agent stopped), revoking its token; its containers are placed"
                        + " elsewhere.",
                "Its name can then join again with a join token."
            })
    static final class Host implements Runnable {
        @Mixin
        ClientOptions client;

        @Parameters(paramLabel = "NAME", description = "The host, as 'wharf get hosts' lists it.")
        String name;

        @Override
        public void run() {
            client.client().hosts().delete(name);
            System.out.println("host " + name + " removed; its token is revoked");
        }
    }

    @Command(
            name = "volume",
            aliases = {"volumes"},
            mixinStandardHelpOptions = true,
            description = {
                "Delete the volumes of container ordinals, and everything they hold, from their hosts.",
                "Refused while a container of the ordinal is placed: scale the service in first. Wharf never"
                        + " deletes a volume otherwise."
            })
    static final class Volume implements Runnable {
        @Mixin
        ClientOptions client;

        @Mixin
        NamespaceOption ns;

        @Option(names = "--volume", paramLabel = "NAME", description = "Only this volume of each (default: all).")
        String volume;

        @Parameters(
                arity = "1..*",
                paramLabel = "CONTAINER",
                description = "service-ordinal, as 'wharf get volumes' lists it, e.g. redis-2.")
        List<String> containers;

        @Override
        public void run() {
            for (String c : containers) {
                int dash = c.lastIndexOf('-');
                if (dash <= 0 || !c.substring(dash + 1).matches("\\d{1,9}")) {
                    throw new ParameterException(
                            new CommandLine(this),
                            "'" + c + "' is not a container name (expected: service-ordinal, e.g. redis-2)");
                }
                var deleted = client.client()
                        .cluster()
                        .deleteVolumes(
                                ns.namespace,
                                c.substring(0, dash),
                                Integer.parseInt(c.substring(dash + 1)),
                                Optional.ofNullable(volume));
                for (var v : deleted) {
                    System.out.println("volume " + v.name() + " of " + ns.namespace + "/" + v.container() + " on host "
                            + v.host() + " is being deleted");
                }
            }
        }
    }
}
