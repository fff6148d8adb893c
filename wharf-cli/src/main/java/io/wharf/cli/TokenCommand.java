package io.wharf.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code wharf token create --join}: a token for agents. */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = "Manage tokens.",
        subcommands = TokenCommand.Create.class)
final class TokenCommand {
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a token; it is shown once.")
    static final class Create implements Runnable {
        @Mixin
        ClientOptions client;

        @Option(names = "--join", required = true, description = "A join token, for 'wharf agent --join-token'.")
        boolean join;

        @Override
        public void run() {
            System.out.println(client.client().cluster().createToken("join").token());
        }
    }
}
