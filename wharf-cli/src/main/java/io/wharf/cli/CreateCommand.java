package io.wharf.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code wharf create}: create a namespace. */
@Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description = "Create a resource.",
        subcommands = CreateCommand.Namespace.class)
final class CreateCommand {

    @Command(name = "namespace", aliases = "ns", mixinStandardHelpOptions = true, description = "Create a namespace.")
    static final class Namespace implements Runnable {
        @Mixin
        ClientOptions client;

        @Parameters(paramLabel = "NAME", description = "Lower-case letters, digits and '-'.")
        String name;

        @Override
        public void run() {
            client.client().registry().createNamespace(name);
            System.out.println("namespace/" + name + " created");
        }
    }
}
