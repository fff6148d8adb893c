package io.wharf.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code [-n NAMESPACE] SERVICE IP_PORT}: one endpoint, as the verbs that act on one name it. */
final class EndpointArgs {
    @Mixin
    NamespaceOption ns;

    @Parameters(index = "0", paramLabel = "SERVICE")
    String service;

    @Parameters(index = "1", paramLabel = "IP_PORT", description = "e.g. 127.0.1.4_8080")
    String endpoint;

    /** {@code namespace/service/ip_port}, for messages. */
    @Override
    public String toString() {
        return ns.namespace + "/" + service + "/" + endpoint;
    }
}
