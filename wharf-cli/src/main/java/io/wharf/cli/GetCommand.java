package io.wharf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code wharf get}: list namespaces, services or a service's endpoints. */
@Command(
        name = "get",
        mixinStandardHelpOptions = true,
        description = "List namespaces, services, endpoints, images, hosts or containers.",
        subcommands = {
            GetCommand.Namespaces.class,
            GetCommand.Services.class,
            GetCommand.Endpoints.class,
            GetCommand.Images.class,
            GetCommand.Hosts.class,
            GetCommand.Containers.class
        })
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

        @Mixin
        NamespaceOption ns;

        @Override
        public void run() {
            JsonNode body = client.client().get("/v1/namespaces/" + ns.namespace + "/services");
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

        @Mixin
        NamespaceOption ns;

        @Parameters(paramLabel = "SERVICE", description = "The service.")
        String service;

        @Override
        public void run() {
            JsonNode body =
                    client.client().get("/v1/namespaces/" + ns.namespace + "/services/" + service + "/endpoints");
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

    @Command(
            name = "images",
            aliases = {"image"},
            mixinStandardHelpOptions = true,
            description = "List images.")
    static final class Images implements Runnable {
        @Mixin
        ClientOptions client;

        @Mixin
        Output output;

        @Override
        public void run() {
            JsonNode body = client.client().get("/v1/images");
            output.print(
                    System.out,
                    body,
                    body.get("images"),
                    List.of("IMAGE", "SHA256", "SIZE", "CMD"),
                    i -> List.of(
                            i.get("image").asText(),
                            i.get("sha256").asText().substring(0, 12),
                            i.get("sizeBytes").asText(),
                            i.get("cmd").asText()));
        }
    }

    @Command(
            name = "hosts",
            aliases = {"host"},
            mixinStandardHelpOptions = true,
            description = "List hosts and their agents' state.")
    static final class Hosts implements Runnable {
        @Mixin
        ClientOptions client;

        @Mixin
        Output output;

        @Override
        public void run() {
            JsonNode body = client.client().get("/v1/hosts");
            output.print(
                    System.out,
                    body,
                    body.get("hosts"),
                    List.of("HOST", "STATE", "IP POOL", "CONTAINERS", "CPU", "MEMORY", "LAST SEEN"),
                    h -> {
                        JsonNode u = h.path("usage");
                        return List.of(
                                h.get("id").asText(),
                                h.get("state").asText(),
                                h.get("ipPool").asText(),
                                h.get("containers").asText(),
                                u.isMissingNode() || u.isNull()
                                        ? "-"
                                        : String.format(
                                                "%.0f%%", u.get("cpuLoad").asDouble() * 100),
                                u.isMissingNode() || u.isNull()
                                        ? "-"
                                        : u.get("memoryUsedMb").asText() + "/"
                                                + u.get("memoryTotalMb").asText() + " MiB",
                                h.get("lastSeenMillisAgo").asLong() + " ms ago");
                    });
        }
    }

    @Command(
            name = "containers",
            aliases = {"container", "ct"},
            mixinStandardHelpOptions = true,
            description = "List containers (the monitoring table).")
    static final class Containers implements Runnable {
        @Mixin
        ClientOptions client;

        @Mixin
        Output output;

        @Override
        public void run() {
            JsonNode body = client.client().get("/v1/containers");
            output.print(
                    System.out,
                    body,
                    body.get("containers"),
                    List.of("CONTAINER", "HOST", "IMAGE", "ENDPOINT", "DESIRED", "STATE", "HEALTHY", "RESTARTS"),
                    c -> {
                        JsonNode o = c.path("observed");
                        return List.of(
                                c.get("id").asText(),
                                c.get("host").asText(),
                                c.get("image").asText(),
                                c.get("endpoint").asText(),
                                c.get("desired").asText(),
                                c.get("state").asText(),
                                o.isMissingNode() || o.isNull()
                                        ? "-"
                                        : o.get("healthy").asText(),
                                o.isMissingNode() || o.isNull()
                                        ? "-"
                                        : o.get("restarts").asText());
                    });
        }
    }
}
