package io.wharf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code wharf get}: list namespaces, services, endpoints, images, hosts, containers, tasks or releases. */
@Command(
        name = "get",
        mixinStandardHelpOptions = true,
        description = "List namespaces, services, endpoints, images, hosts, containers, scale-out tasks or releases.",
        subcommands = {
            GetCommand.Namespaces.class,
            GetCommand.Services.class,
            GetCommand.Endpoints.class,
            GetCommand.Images.class,
            GetCommand.Hosts.class,
            GetCommand.Containers.class,
            GetCommand.Tasks.class,
            GetCommand.Releases.class
        })
final class GetCommand {

    /** One listing: a GET of {@link #path()}, whose {@link #field()} holds the rows printed. */
    abstract static class Listing implements Runnable {
        @Mixin
        ClientOptions client;

        @Mixin
        Output output;

        abstract String path();

        abstract String field();

        abstract List<String> headers();

        abstract List<String> row(JsonNode item);

        @Override
        public void run() {
            JsonNode body = client.client().get(path());
            output.print(System.out, body, body.get(field()), headers(), this::row);
        }
    }

    private static String orDash(JsonNode parent, String field) {
        return parent.isMissingNode() || parent.isNull()
                ? "-"
                : parent.get(field).asText();
    }

    @Command(
            name = "namespaces",
            aliases = {"namespace", "ns"},
            mixinStandardHelpOptions = true,
            description = "List namespaces.")
    static final class Namespaces extends Listing {
        String path() {
            return "/v1/namespaces";
        }

        String field() {
            return "namespaces";
        }

        List<String> headers() {
            return List.of("NAME", "CREATED");
        }

        List<String> row(JsonNode n) {
            return List.of(n.get("name").asText(), n.get("createdAt").asText());
        }
    }

    @Command(
            name = "services",
            aliases = {"service", "svc"},
            mixinStandardHelpOptions = true,
            description = "List the services of a namespace.")
    static final class Services extends Listing {
        @Mixin
        NamespaceOption ns;

        String path() {
            return "/v1/namespaces/" + ns.namespace + "/services";
        }

        String field() {
            return "services";
        }

        List<String> headers() {
            return List.of("NAME", "UP", "DRAINING", "DOWN", "REVISION");
        }

        List<String> row(JsonNode s) {
            JsonNode c = s.get("endpoints");
            return List.of(
                    s.get("name").asText(),
                    c.path("UP").asText("0"),
                    c.path("DRAINING").asText("0"),
                    c.path("DOWN").asText("0"),
                    s.get("revision").asText());
        }
    }

    @Command(
            name = "endpoints",
            aliases = {"endpoint", "ep"},
            mixinStandardHelpOptions = true,
            description = "List a service's endpoints.")
    static final class Endpoints extends Listing {
        @Mixin
        NamespaceOption ns;

        @Parameters(paramLabel = "SERVICE", description = "The service.")
        String service;

        String path() {
            return "/v1/namespaces/" + ns.namespace + "/services/" + service + "/endpoints";
        }

        String field() {
            return "endpoints";
        }

        List<String> headers() {
            return List.of("ENDPOINT", "STATE", "WEIGHT", "VERSION", "BY", "METADATA");
        }

        List<String> row(JsonNode e) {
            List<String> meta = new ArrayList<>();
            for (Map.Entry<String, JsonNode> m : e.get("metadata").properties()) {
                meta.add(m.getKey() + "=" + m.getValue().asText());
            }
            String version = e.get("version").asText();
            return List.of(
                    e.get("id").asText(),
                    e.get("state").asText(),
                    e.get("weight").asText(),
                    version.isEmpty() ? "-" : version,
                    e.get("registeredBy").asText(),
                    meta.isEmpty() ? "-" : String.join(",", meta));
        }
    }

    @Command(
            name = "images",
            aliases = {"image"},
            mixinStandardHelpOptions = true,
            description = "List images.")
    static final class Images extends Listing {
        String path() {
            return "/v1/images";
        }

        String field() {
            return "images";
        }

        List<String> headers() {
            return List.of("IMAGE", "SHA256", "SIZE", "CMD");
        }

        List<String> row(JsonNode i) {
            return List.of(
                    i.get("image").asText(),
                    i.get("sha256").asText().substring(0, 12),
                    i.get("sizeBytes").asText(),
                    i.get("cmd").asText());
        }
    }

    @Command(
            name = "hosts",
            aliases = {"host"},
            mixinStandardHelpOptions = true,
            description = "List hosts and their agents' state.")
    static final class Hosts extends Listing {
        String path() {
            return "/v1/hosts";
        }

        String field() {
            return "hosts";
        }

        List<String> headers() {
            return List.of("HOST", "STATE", "IP POOL", "CONTAINERS", "CPU", "MEMORY", "LAST SEEN");
        }

        List<String> row(JsonNode h) {
            JsonNode u = h.path("usage");
            boolean none = u.isMissingNode() || u.isNull();
            return List.of(
                    h.get("id").asText(),
                    h.get("state").asText(),
                    h.get("ipPool").asText(),
                    h.get("containers").asText(),
                    none ? "-" : String.format("%.0f%%", u.get("cpuLoad").asDouble() * 100),
                    none
                            ? "-"
                            : u.get("memoryUsedMb").asText() + "/"
                                    + u.get("memoryTotalMb").asText() + " MiB",
                    h.get("lastSeenMillisAgo").asLong() + " ms ago");
        }
    }

    @Command(
            name = "containers",
            aliases = {"container", "ct"},
            mixinStandardHelpOptions = true,
            description = "List containers (the monitoring table).")
    static final class Containers extends Listing {
        String path() {
            return "/v1/containers";
        }

        String field() {
            return "containers";
        }

        List<String> headers() {
            return List.of("CONTAINER", "HOST", "IMAGE", "ENDPOINT", "DESIRED", "STATE", "HEALTHY", "RESTARTS");
        }

        List<String> row(JsonNode c) {
            JsonNode o = c.path("observed");
            return List.of(
                    c.get("id").asText(),
                    c.get("host").asText(),
                    c.get("image").asText(),
                    c.get("endpoint").asText(),
                    c.get("desired").asText(),
                    c.get("state").asText(),
                    orDash(o, "healthy"),
                    orDash(o, "restarts"));
        }
    }

    @Command(
            name = "tasks",
            aliases = {"task"},
            mixinStandardHelpOptions = true,
            description = "List scale-out tasks, newest first, with their progress.")
    static final class Tasks extends Listing {
        String path() {
            return "/v1/scale-outs";
        }

        String field() {
            return "tasks";
        }

        List<String> headers() {
            return TaskViews.HEADERS;
        }

        List<String> row(JsonNode t) {
            return TaskViews.row(t);
        }
    }

    @Command(
            name = "releases",
            aliases = {"release"},
            mixinStandardHelpOptions = true,
            description = "List releases, newest first.")
    static final class Releases extends Listing {
        String path() {
            return "/v1/releases";
        }

        String field() {
            return "releases";
        }

        List<String> headers() {
            return ReleaseViews.HEADERS;
        }

        List<String> row(JsonNode r) {
            return ReleaseViews.row(r);
        }
    }
}
