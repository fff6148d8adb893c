package io.wharf.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code wharf server}: the control plane alone. */
@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        description = "Run the control plane: REST API, registry, store, and the web console at /ui.")
final class ServerCommand implements Callable<Integer> {
    @Mixin
    ServerOptions options;

    @Override
    public Integer call() throws Exception {
        return ServerRunner.run(options, System.out, null);
    }
}
