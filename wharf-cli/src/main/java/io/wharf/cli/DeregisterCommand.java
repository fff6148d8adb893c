package io.wharf.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code wharf deregister}: take an endpoint out of the registry. */
@Command(
        name = "deregister",
        mixinStandardHelpOptions = true,
        description = "Take an endpoint (ip_port) out of the registry.")
final class DeregisterCommand implements Runnable {
    @Mixin
    ClientOptions client;

    @Mixin
    NamespaceOption ns;

    @Parameters(index = "0", paramLabel = "SERVICE")
    String service;

    @Parameters(index = "1", paramLabel = "IP_PORT")
    String endpoint;

    @Override
    public void run() {
        var body = client.client()
                .delete("/v1/namespaces/" + ns.namespace + "/services/" + service + "/endpoints/" + endpoint);
        System.out.println("endpoint " + ns.namespace + "/" + service + "/" + endpoint + " deregistered at revision "
                + body.get("revision").asText());
    }
}
