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
            MigrateCommand.class,
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
            IntakeCommand.class,
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
        CommandLine cli = commandLine(args.length == 0 ? "" : args[0]);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + CliErrors.describe(e));
            return 1;
        });
        return cli.execute(args);
    }

    /**
     * The command line for a run whose first argument is {@code verb}: when it names a verb, only that verb's
     * commands, since picocli reads every command's annotations up front and the whole tree takes longer to
     * build than the rest of a short command takes to run. Anything else (help, a misspelt verb, completion,
     * which describes every verb) gets the whole tree.
     */
    static CommandLine commandLine(String verb) {
        if (verb.equals("--version") || verb.equals("-V")) return new CommandLine(new Lean());
        if (!verb.equals("completion")) {
            for (Class<?> sub : Main.class.getAnnotation(Command.class).subcommands()) {
                Command c = sub.getAnnotation(Command.class);
                if (c.name().equals(verb)
                        || java.util.Arrays.asList(c.aliases()).contains(verb)) {
                    return new CommandLine(new Lean()).addSubcommand(new CommandLine(sub));
                }
            }
        }
        return new CommandLine(new Main());
    }

    /** The top command with no verbs yet: one is added, the one asked for. */
    @Command(name = "wharf", mixinStandardHelpOptions = true, versionProvider = Main.Version.class)
    static final class Lean implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(System.out);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"wharf " + (v == null ? "dev" : v)};
        }
    }
}
