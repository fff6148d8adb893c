package io.wharf.cli;

import io.wharf.agent.runtime.Runtimes;
import java.util.Optional;
import picocli.CommandLine.Option;

/** How an agent runs its containers: {@code --runtime} and, for Docker, {@code --docker-host}. */
final class RuntimeOptions {
    @Option(
            names = "--runtime",
            paramLabel = "RUNTIME",
            defaultValue = Runtimes.PROCESS,
            description = "How containers run: process, as local processes each on its own IP; or docker, as"
                    + " containers of the local Docker Engine, each published on its own IP (default:"
                    + " ${DEFAULT-VALUE}).")
    String runtime = Runtimes.PROCESS;

    @Option(
            names = "--docker-host",
            paramLabel = "URL",
            description = "With --runtime docker: the engine's address, e.g. unix:///var/run/docker.sock or"
                    + " tcp://127.0.0.1:2375 (default: $DOCKER_HOST, then unix:///var/run/docker.sock).")
    String dockerHost;

    Optional<String> dockerHost() {
        if (dockerHost != null && !runtime.equals(Runtimes.DOCKER)) {
            throw new IllegalArgumentException("--docker-host is for --runtime docker");
        }
        return Optional.ofNullable(dockerHost);
    }
}
