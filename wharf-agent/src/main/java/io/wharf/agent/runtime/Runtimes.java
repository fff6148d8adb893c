package io.wharf.agent.runtime;

import io.wharf.agent.runtime.process.ProcessRuntime;
import io.wharf.core.InvalidInputException;
import java.nio.file.Path;
import java.util.List;

/** The container runtimes an agent can run, by the name its configuration gives. */
public final class Runtimes {
    /** Containers as local processes, each on its own loopback IP: the embedded default. */
    public static final String PROCESS = "process";

    /** Every runtime's name. */
    public static final List<String> NAMES = List.of(PROCESS);

    private Runtimes() {}

    /**
     * The runtime called {@code name}, keeping its containers under {@code dataDir}.
     *
     * @throws InvalidInputException naming {@code runtime} if there is none of that name
     */
    public static ContainerRuntime create(String name, Path dataDir, Path javaHome, Packages packages) {
        if (name.equals(PROCESS)) {
            return new ProcessRuntime(dataDir.resolve("containers"), javaHome, packages);
        }
        throw InvalidInputException.of("runtime", "'" + name + "' (expected one of: " + String.join(", ", NAMES) + ")");
    }
}
