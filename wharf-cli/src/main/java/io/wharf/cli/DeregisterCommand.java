package io.wharf.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code wharf deregister}: take an endpoint out of the registry. */
@Command(
        name = "deregister",
        mixinStandardHelpOptions = true,
        description = "Take an endpoint (ip_port) out of the registry.")
final class DeregisterCommand implements Runnable {
    @Mixin
    ClientOptions client;

    @Mixin
    EndpointArgs target;

    @Override
    public void run() {
        var removed = client.client().registry().deregister(target.ns.namespace, target.service, target.endpoint);
        System.out.println("endpoint " + target + " deregistered at revision " + removed.revision());
    }
}
