package io.wharf.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code wharf up}: everything on one machine with embedded defaults. */
@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description =
                "Run the platform on this machine with embedded defaults: the server (state in .wharf/; its web console"
                        + " at /ui), a local agent,"
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

    @picocli.CommandLine.Option(
            names = "--lb",
            paramLabel = "ENGINE",
            defaultValue = io.wharf.agent.AgentConfig.LbEngine.BUILT_IN,
            description = "The load balancer's engine: built-in, or haproxy (HAProxy 2.6+ on the PATH)"
                    + " (default: ${DEFAULT-VALUE}).")
    String lb;

    @picocli.CommandLine.Option(
            names = "--lb-template",
            paramLabel = "FILE",
            description = "With --lb haproxy: a Mustache template for haproxy.cfg (docs/loadbalancer.md).")
    java.nio.file.Path lbTemplate;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() throws Exception {
        var engine = new io.wharf.agent.AgentConfig.LbEngine(lb, java.util.Optional.ofNullable(lbTemplate));
        runtime.dockerHost(); // checked before anything starts
        return ServerRunner.run(options, System.out, new ServerRunner.Local(ipPool, lbAddress, engine, runtime));
    }
}
