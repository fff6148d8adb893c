package io.wharf.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code wharf delete host NAME}: remove a host that has left for good. */
@Command(
        name = "delete",
        mixinStandardHelpOptions = true,
        description = "Remove what has left for good.",
        subcommands = DeleteCommand.Host.class)
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
}
