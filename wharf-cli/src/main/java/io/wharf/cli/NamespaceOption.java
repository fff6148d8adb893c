package io.wharf.cli;

import picocli.CommandLine.Option;

/** {@code -n NAMESPACE}, shared by the verbs that act within a namespace. */
final class NamespaceOption {
    @Option(
            names = {"-n", "--namespace"},
            defaultValue = "default",
            description = "Namespace (default: ${DEFAULT-VALUE}).")
    String namespace;
}
