package io.wharf.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The entry point of {@code wharf.jar}. */
@Command(
        name = "wharf",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Wharf: a container platform for microservices.%n",
        subcommands = {
            UpCommand.class,
            ServerCommand.class,
            AgentCommand.class,
            ApplyCommand.class,
            ScaleOutCommand.class,
            ReleaseCommand.class,
            ImageCommand.class,
            TokenCommand.class,
            LogsCommand.class,
            GetCommand.class,
            DescribeCommand.class,
            CreateCommand.class,
            RegisterCommand.class,
            DeregisterCommand.class,
            WatchCommand.class,
            DeleteCommand.class,
            CompletionCommand.class,
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code: 0 done, 1 failed, 2 wrong usage. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + CliErrors.describe(e));
            return 1;
        });
        return cli.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"wharf " + (v == null ? "dev" : v)};
        }
    }
}
