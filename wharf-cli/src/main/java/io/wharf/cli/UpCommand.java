package io.wharf.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code wharf up}: everything on one machine with embedded defaults. */
@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description =
                "Run the platform on this machine with embedded defaults: the server (state in .wharf/), a local agent,"
                        + " with the load balancer, and on first start the demo images and a 2-replica demo service published"
                        + " on port " + LocalPlatform.DEMO_PORT + ".")
final class UpCommand implements Callable<Integer> {
    @Mixin
    ServerOptions options;

    @picocli.CommandLine.Option(
            names = "--ip-pool",
            paramLabel = "CIDR",
            defaultValue = "127.0.1.0/24",
            description = "Range the local agent's containers take their IPs from (default: ${DEFAULT-VALUE}).")
    String ipPool;

    @picocli.CommandLine.Option(
            names = "--lb-address",
            paramLabel = "IP",
            defaultValue = "127.0.0.1",
            description = "Where the load balancer serves published ports, e.g. the demo's " + LocalPlatform.DEMO_PORT
                    + " (default: ${DEFAULT-VALUE}).")
    String lbAddress;

    @Override
    public Integer call() throws Exception {
        return ServerRunner.run(options, System.out, new ServerRunner.Local(ipPool, lbAddress));
    }
}
