package io.wharf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf get}: list namespaces, services or a service's endpoints. */
@Command(
        name = "get",
        mixinStandardHelpOptions = true,
        description = "List namespaces, services or endpoints.",
        subcommands = {GetCommand.Namespaces.class, GetCommand.Services.class, GetCommand.Endpoints.class})
final class GetCommand {

    @Command(
            name = "namespaces",
            aliases = {"namespace", "ns"},
            mixinStandardHelpOptions = true,
            description = "List namespaces.")
    static final class Namespaces implements Runnable {
        @Mixin
        ClientOptions client;

        @Mixin
        Output output;

        @Override
        public void run() {
            JsonNode body = client.client().get("/v1/namespaces");
            output.print(
                    System.out,
                    body,
                    body.get("namespaces"),
                    List.of("NAME", "CREATED"),
                    n -> List.of(n.get("name").asText(), n.get("createdAt").asText()));
        }
    }

    @Command(
            name = "services",
            aliases = {"service", "svc"},
            mixinStandardHelpOptions = true,
            description = "List the services of a namespace.")
    static final class Services implements Runnable {
        @Mixin
        ClientOptions client;

        @Mixin
        Output output;

        @Option(
                names = {"-n", "--namespace"},
                defaultValue = "default",
                description = "Namespace (default: ${DEFAULT-VALUE}).")
        String namespace;

        @Override
        public void run() {
            JsonNode body = client.client().get("/v1/namespaces/" + namespace + "/services");
            output.print(
                    System.out,
                    body,
                    body.get("services"),
                    List.of("NAME", "UP", "DRAINING", "DOWN", "REVISION"),
                    s -> {
                        JsonNode c = s.get("endpoints");
                        return List.of(
                                s.get("name").asText(),
                                c.path("UP").asText("0"),
                                c.path("DRAINING").asText("0"),
                                c.path("DOWN").asText("0"),
                                s.get("revision").asText());
                    });
        }
    }

    @Command(
            name = "endpoints",
            aliases = {"endpoint", "ep"},
            mixinStandardHelpOptions = true,
            description = "List a service's endpoints.")
    static final class Endpoints implements Runnable {
        @Mixin
        ClientOptions client;

        @Mixin
        Output output;

        @Option(
                names = {"-n", "--namespace"},
                defaultValue = "default",
                description = "Namespace (default: ${DEFAULT-VALUE}).")
        String namespace;

        @Parameters(paramLabel = "SERVICE", description = "The service.")
        String service;

        @Override
        public void run() {
            JsonNode body = client.client().get("/v1/namespaces/" + namespace + "/services/" + service + "/endpoints");
            output.print(
                    System.out,
                    body,
                    body.get("endpoints"),
                    List.of("ENDPOINT", "STATE", "WEIGHT", "VERSION", "BY", "METADATA"),
                    e -> {
                        List<String> meta = new ArrayList<>();
                        for (Map.Entry<String, JsonNode> m : e.get("metadata").properties()) {
                            meta.add(m.getKey() + "=" + m.getValue().asText());
                        }
                        return List.of(
                                e.get("id").asText(),
                                e.get("state").asText(),
                                e.get("weight").asText(),
                                e.get("version").asText().isEmpty()
                                        ? "-"
                                        : e.get("version").asText(),
                                e.get("registeredBy").asText(),
                                meta.isEmpty() ? "-" : String.join(",", meta));
                    });
        }
    }
}
