package io.wharf.agent.runtime;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Starts, watches and stops containers on one host, fetching their images' packages itself. Implementations
 * are safe for concurrent use.
 */
public interface ContainerRuntime {
    /** The image a container was last started as, if known: how an adopted container's version is known. */
    Optional<String> image(String id);

    /** What a running container uses now; empty if it is not running or the runtime cannot tell. */
    Optional<Stats> stats(String id);

    /**
     * A container's resource use: resident memory, CPU time used, the space its directory takes on disk, and the
     * bytes its processes read from and wrote to storage in all (0 where the runtime cannot tell).
     */
    record Stats(long rssBytes, double cpuSeconds, long diskBytes, long diskReadBytes, long diskWriteBytes) {}

    /** Starts a container; if it already runs, restarts nothing and returns its state. */
    Status start(ContainerSpec spec) throws IOException;

    /** The containers this runtime finds running, including those started before this process (adoption). */
    Map<String, Status> running();

    /**
     * The container's state now. A change made through this instance shows at once; one made elsewhere (the
     * process died, another agent stopped it) may show a moment later: the process runtime looks at the process
     * each time, the Docker runtime follows the engine's event stream.
     */
    Status status(String id);

    /** Stops it: a polite signal, then after {@code grace} a forced one. Returns when it has stopped. */
    void stop(String id, Duration grace);

    /** Removes what the container left on disk, once it is stopped. */
    void remove(String id) throws IOException;

    /** The end of its standard output (the last MiB or so; the runtime's own log may keep more). */
    String output(String id);

    /**
     * Runs {@code command} by {@code sh -c} where container {@code id} runs — in its directory, its file system —
     * with {@code env} added to its environment: a health check's command.
     *
     * @return the command's exit code; empty if it did not end within {@code timeout} (it is then killed)
     */
    Optional<Integer> exec(String id, String command, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException;

    /** A container's state as the runtime sees it. */
    sealed interface Status {
        /** Running, as the process (or engine object) {@code runtimeId}. */
        record Running(String runtimeId, long pid) implements Status {}

        /** Not running; {@code exit} says how it ended, if known. */
        record Exited(String exit) implements Status {}

        /** Never started here, or removed. */
        record Unknown() implements Status {}
    }
}
