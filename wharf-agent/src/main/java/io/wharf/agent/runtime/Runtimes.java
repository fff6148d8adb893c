package io.wharf.agent.runtime;

import io.wharf.agent.runtime.docker.DockerEngine;
import io.wharf.agent.runtime.docker.DockerRuntime;
import io.wharf.agent.runtime.process.ProcessRuntime;
import io.wharf.core.InvalidInputException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The container runtimes an agent can run, by the name its configuration gives. */
public final class Runtimes {
    /** Containers as local processes, each on its own loopback IP: the embedded default. */
    public static final String PROCESS = "process";

    /** Containers of the local Docker Engine, each published on its own IP. */
    public static final String DOCKER = "docker";

    /** Every runtime's name. */
    public static final List<String> NAMES = List.of(PROCESS, DOCKER);

    private Runtimes() {}

    /**
     * The runtime called {@code name} of the host {@code host}, keeping its containers under {@code dataDir}.
     *
     * @param dockerHost where the Docker Engine is (for {@code docker}); empty for {@code DOCKER_HOST} or its socket
     * @throws InvalidInputException naming {@code runtime} if there is none of that name
     * @throws IllegalStateException if the runtime's engine does not answer
     */
    public static ContainerRuntime create(
            String name, String host, Path dataDir, Path javaHome, Packages packages, Optional<String> dockerHost) {
        return switch (name) {
            case PROCESS -> new ProcessRuntime(dataDir.resolve("containers"), javaHome, packages);
            case DOCKER -> new DockerRuntime(DockerEngine.connect(dockerHost), host, packages);
            default ->
                throw InvalidInputException.of(
                        "runtime", "'" + name + "' (expected one of: " + String.join(", ", NAMES) + ")");
        };
    }
}
