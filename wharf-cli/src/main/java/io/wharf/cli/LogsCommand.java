package io.wharf.cli;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import io.wharf.agent.runtime.docker.DockerEngine;
import io.wharf.agent.runtime.docker.DockerRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wharf logs}: a container's output, from the agent's directory on this machine, or from the local Docker
 * Engine for a Docker container.
 */
@Command(
        name = "logs",
        mixinStandardHelpOptions = true,
        description = "Print a container's standard output (or --stderr) on this machine: from the agent's directory,"
                + " or from the Docker Engine for a container of the Docker runtime.")
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

    @Option(
            names = "--docker-host",
            paramLabel = "URL",
            description = "The Docker Engine to ask for a Docker container's logs (default: $DOCKER_HOST, then"
                    + " unix:///var/run/docker.sock).")
    String dockerHost;

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
        String docker = dockerLogs();
        if (docker.isEmpty()) return 0;
        throw new IllegalArgumentException("no logs of container " + id + " under " + roots + " nor " + docker
                + " (logs stay on the container's host)");
    }

    /**
     * Prints the logs of the Docker container labelled with this id, if the local engine has one; else says where
     * it looked.
     */
    private String dockerLogs() throws InterruptedException {
        com.github.dockerjava.api.DockerClient docker;
        try {
            docker = DockerEngine.connect(java.util.Optional.ofNullable(dockerHost));
        } catch (IllegalStateException noEngine) {
            if (dockerHost != null) throw noEngine;
            return "in a Docker Engine (" + noEngine.getMessage() + ")";
        }
        var found = docker.listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(java.util.Map.of(DockerRuntime.CONTAINER, id))
                .exec();
        if (found.isEmpty()) return "in the local Docker Engine";
        docker.logContainerCmd(found.get(0).getId())
                .withStdOut(!stderr)
                .withStdErr(stderr)
                .exec(new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame frame) {
                        System.out.write(frame.getPayload(), 0, frame.getPayload().length);
                    }
                })
                .awaitCompletion();
        System.out.flush();
        return "";
    }
}
