package io.wharf.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf logs}: a container's output, from the agent's directory on this machine. */
@Command(
        name = "logs",
        mixinStandardHelpOptions = true,
        description = "Print a container's standard output (and --stderr) from this machine's agent.")
final class LogsCommand implements Callable<Integer> {
    @Parameters(paramLabel = "CONTAINER")
    String id;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description = "The agent's data directory (default: .wharf/agent, then .wharf-agent).")
    Path data;

    @Option(names = "--stderr", description = "Print standard error instead.")
    boolean stderr;

    @Override
    public Integer call() throws Exception {
        List<Path> roots = data != null ? List.of(data) : List.of(Path.of(".wharf", "agent"), Path.of(".wharf-agent"));
        for (Path root : roots) {
            Path file = root.resolve("containers").resolve(id).resolve(stderr ? "stderr.log" : "stdout.log");
            if (Files.exists(file)) {
                Files.copy(file, System.out);
                return 0;
            }
        }
        throw new IllegalArgumentException(
                "no logs of container " + id + " under " + roots + " (logs stay on the container's host)");
    }
}
