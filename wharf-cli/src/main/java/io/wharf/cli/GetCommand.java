package io.wharf.cli;

import io.wharf.client.wire.AutoscalerInfo;
import io.wharf.client.wire.ClientInfo;
import io.wharf.client.wire.ContainerInfo;
import io.wharf.client.wire.ContainerReport;
import io.wharf.client.wire.ContainerUsage;
import io.wharf.client.wire.EndpointInfo;
import io.wharf.client.wire.EndpointState;
import io.wharf.client.wire.HostInfo;
import io.wharf.client.wire.ImageInfo;
import io.wharf.client.wire.MigrationInfo;
import io.wharf.client.wire.NamespaceInfo;
import io.wharf.client.wire.ReleaseInfo;
import io.wharf.client.wire.ScaleInInfo;
import io.wharf.client.wire.ScaleOutSummary;
import io.wharf.client.wire.ServiceInfo;
import io.wharf.client.wire.Usage;
import io.wharf.client.wire.VolumeInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code wharf get}: list namespaces, services, endpoints, images, hosts, containers, operations, autoscalers. */
@Command(
        name = "get",
        mixinStandardHelpOptions = true,
        description = "List namespaces, services, endpoints, images, hosts, containers, volumes, scale-out tasks,"
                + " releases,"
                + " migrations, autoscalers, scale-ins or SDK clients.",
        subcommands = {
            GetCommand.Namespaces.class,
            GetCommand.Services.class,
            GetCommand.Endpoints.class,
            GetCommand.Images.class,
            GetCommand.Hosts.class,
            GetCommand.Containers.class,
            GetCommand.Volumes.class,
            GetCommand.Tasks.class,
            GetCommand.Releases.class,
            GetCommand.Migrations.class,
            GetCommand.Autoscalers.class,
            GetCommand.ScaleIns.class,
            GetCommand.Clients.class
        })
final class GetCommand {

    /** One listing: a GET of {@link #path()}, whose {@link #field()} holds the rows printed. */
    abstract static class Listing<T> implements Runnable {
        @Mixin
        ClientOptions client;

        @Mixin
        Output output;

        abstract String path();

        abstract String field();

        abstract Class<T> type();

        abstract List<String> headers();

        abstract List<String> row(T item);

        @Override
        public void run() {
            byte[] raw = client.client().getRaw(path());
            output.print(
                    System.out, raw, output.json() ? List.of() : Docs.list(raw, field(), type()), headers(), this::row);
            if (!output.json()) after(raw);
        }

        /** What a table is followed by, from the same answer; nothing by default. */
        void after(byte[] raw) {}
    }

    @Command(
            name = "namespaces",
            aliases = {"namespace", "ns"},
            mixinStandardHelpOptions = true,
            description = "List namespaces.")
    static final class Namespaces extends Listing<NamespaceInfo> {
        String path() {
            return "/v1/namespaces";
        }

        String field() {
            return "namespaces";
        }

        Class<NamespaceInfo> type() {
            return NamespaceInfo.class;
        }

        List<String> headers() {
            return List.of("NAME", "CREATED");
        }

        List<String> row(NamespaceInfo n) {
            return List.of(n.name(), n.createdAt().toString());
        }
    }

    @Command(
            name = "clients",
            aliases = {"client"},
            mixinStandardHelpOptions = true,
            description = "List the SDK instances of a namespace that reported lately: the registry interfaces each"
                    + " uses (its primary first), what it keeps registered, and how many addresses each interface"
                    + " shows it of each service it follows, and the response times it measured of the requests it"
                    + " handles.")
    static final class Clients extends Listing<ClientInfo> {
        @Mixin
        NamespaceOption ns;

        String path() {
            return "/v1/namespaces/" + ns.namespace + "/clients";
        }

        String field() {
            return "clients";
        }

        Class<ClientInfo> type() {
            return ClientInfo.class;
        }

        List<String> headers() {
            return List.of("INSTANCE", "INTERFACES", "REGISTERED", "FOLLOWS", "RESPONSE TIMES (10s)", "LAST SEEN");
        }

        List<String> row(ClientInfo c) {
            var r = c.report();
            List<String> names = new java.util.ArrayList<>(r.interfaces());
            names.replaceAll(n -> n.equals(r.primary()) ? n + "*" : n);
            List<String> follows = new java.util.ArrayList<>();
            r.follows().forEach((service, counts) -> {
                List<String> each = new java.util.ArrayList<>();
                counts.forEach((name, n) -> each.add(name + "=" + n));
                follows.add(service + " " + String.join(" ", each));
            });
            List<String> times = new java.util.ArrayList<>();
            r.responseTimes()
                    .forEach((name, t) -> times.add(String.format(
                            "%s %d req p50 %s p99 %s%s",
                            name,
                            t.count(),
                            Units.micros(t.p50Micros()),
                            Units.micros(t.p99Micros()),
                            t.errors() == 0 ? "" : " " + t.errors() + " failed")));
            return List.of(
                    c.instance(),
                    String.join(",", names),
                    String.valueOf(r.registered().size()),
                    follows.isEmpty() ? "-" : String.join(", ", follows),
                    times.isEmpty() ? "-" : String.join(", ", times),
                    c.lastSeenMillisAgo() + " ms ago");
        }
    }

    @Command(
            name = "services",
            aliases = {"service", "svc"},
            mixinStandardHelpOptions = true,
            description = "List the services of a namespace.")
    static final class Services extends Listing<ServiceInfo> {
        @Mixin
        NamespaceOption ns;

        String path() {
            return "/v1/namespaces/" + ns.namespace + "/services";
        }

        String field() {
            return "services";
        }

        Class<ServiceInfo> type() {
            return ServiceInfo.class;
        }

        List<String> headers() {
            return List.of("NAME", "UP", "DRAINING", "DOWN", "REVISION");
        }

        List<String> row(ServiceInfo s) {
            Map<EndpointState, Long> c = s.endpoints();
            return List.of(
                    s.name(),
                    String.valueOf(c.getOrDefault(EndpointState.UP, 0L)),
                    String.valueOf(c.getOrDefault(EndpointState.DRAINING, 0L)),
                    String.valueOf(c.getOrDefault(EndpointState.DOWN, 0L)),
                    String.valueOf(s.revision()));
        }
    }

    @Command(
            name = "endpoints",
            aliases = {"endpoint", "ep"},
            mixinStandardHelpOptions = true,
            description = "List a service's endpoints.")
    static final class Endpoints extends Listing<EndpointInfo> {
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

        Class<EndpointInfo> type() {
            return EndpointInfo.class;
        }

        List<String> headers() {
            return List.of("ENDPOINT", "STATE", "WEIGHT", "VERSION", "BY", "METADATA");
        }

        List<String> row(EndpointInfo e) {
            List<String> meta = new ArrayList<>();
            new TreeMap<>(e.metadata()).forEach((k, v) -> meta.add(k + "=" + v));
            return List.of(
                    e.id(),
                    e.state().name(),
                    String.valueOf(e.weight()),
                    e.version().isEmpty() ? "-" : e.version(),
                    e.registeredBy().name(),
                    meta.isEmpty() ? "-" : String.join(",", meta));
        }
    }

    @Command(
            name = "images",
            aliases = {"image"},
            mixinStandardHelpOptions = true,
            description = "List images.")
    static final class Images extends Listing<ImageInfo> {
        String path() {
            return "/v1/images";
        }

        String field() {
            return "images";
        }

        Class<ImageInfo> type() {
            return ImageInfo.class;
        }

        List<String> headers() {
            return List.of("IMAGE", "SHA256", "SIZE", "CMD");
        }

        List<String> row(ImageInfo i) {
            return List.of(i.image(), i.sha256().substring(0, 12), String.valueOf(i.sizeBytes()), i.cmd());
        }
    }

    @Command(
            name = "hosts",
            aliases = {"host"},
            mixinStandardHelpOptions = true,
            description = "List hosts and their agents' state.")
    static final class Hosts extends Listing<HostInfo> {
        String path() {
            return "/v1/hosts";
        }

        String field() {
            return "hosts";
        }

        Class<HostInfo> type() {
            return HostInfo.class;
        }

        List<String> headers() {
            return List.of("HOST", "STATE", "RUNTIME", "IP POOL", "CONTAINERS", "CPU", "MEMORY", "LAST SEEN");
        }

        List<String> row(HostInfo h) {
            Optional<Usage> u = h.usage();
            return List.of(
                    h.id(),
                    h.state().name(),
                    h.runtime(),
                    h.ipPool(),
                    String.valueOf(h.containers()),
                    u.map(x -> String.format(Locale.ROOT, "%.0f%%", x.cpuLoad() * 100))
                            .orElse("-"),
                    u.map(x -> x.memoryUsedMb() + "/" + x.memoryTotalMb() + " MiB")
                            .orElse("-"),
                    h.lastSeenMillisAgo() < 0 ? "never" : h.lastSeenMillisAgo() + " ms ago");
        }
    }

    @Command(
            name = "containers",
            aliases = {"container", "ct"},
            mixinStandardHelpOptions = true,
            description = {
                "List containers (the monitoring table).",
                "Below the table: containers a service should have that wait for a host, and why."
            })
    static final class Containers extends Listing<ContainerInfo> {
        @Override
        void after(byte[] raw) {
            try {
                for (var w : io.wharf.client.wire.Wire.mapper().readTree(raw).path("waiting")) {
                    System.out.println("waiting: " + w.path("namespace").asText() + "/"
                            + w.path("reason").asText());
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        String path() {
            return "/v1/containers";
        }

        String field() {
            return "containers";
        }

        Class<ContainerInfo> type() {
            return ContainerInfo.class;
        }

        List<String> headers() {
            return List.of(
                    "CONTAINER",
                    "HOST",
                    "IMAGE",
                    "ENDPOINT",
                    "DESIRED",
                    "STATE",
                    "HEALTHY",
                    "RESTARTS",
                    "CPU",
                    "MEMORY",
                    "DISK",
                    "DISK R/W /s",
                    "NET IN/OUT /s");
        }

        List<String> row(ContainerInfo c) {
            Optional<ContainerReport> o = c.observed();
            Optional<ContainerUsage> u = c.usage();
            return List.of(
                    c.id(),
                    c.host(),
                    c.image(),
                    c.endpoint(),
                    c.desired().name(),
                    c.state().name(),
                    o.map(x -> String.valueOf(x.healthy())).orElse("-"),
                    o.map(x -> String.valueOf(x.restarts())).orElse("-"),
                    u.map(x -> String.format(Locale.ROOT, "%.2f", x.cpuCores())).orElse("-"),
                    u.map(x -> Units.bytes(x.memoryBytes())).orElse("-"),
                    u.map(x -> Units.bytes(x.diskBytes())).orElse("-"),
                    u.map(x -> Units.bytes(x.diskReadBytesPerSecond()) + "/" + Units.bytes(x.diskWriteBytesPerSecond()))
                            .orElse("-"),
                    u.map(x -> Units.bytes(x.netInBytesPerSecond()) + "/" + Units.bytes(x.netOutBytesPerSecond()))
                            .orElse("-"));
        }
    }

    @Command(
            name = "volumes",
            aliases = {"volume", "vol"},
            mixinStandardHelpOptions = true,
            description = {
                "List volumes: each container ordinal's own directories on its host, kept across restarts,"
                        + " releases and scale-in until deleted ('wharf delete volume').",
                "STATE: in-use (its container is placed), kept (none is: kept until deleted), deleting."
            })
    static final class Volumes extends Listing<VolumeInfo> {
        String path() {
            return "/v1/volumes";
        }

        String field() {
            return "volumes";
        }

        Class<VolumeInfo> type() {
            return VolumeInfo.class;
        }

        List<String> headers() {
            return List.of("NAMESPACE", "CONTAINER", "VOLUME", "HOST", "IP", "SIZE", "USED", "STATE", "CREATED");
        }

        List<String> row(VolumeInfo v) {
            return List.of(
                    v.namespace(),
                    v.container(),
                    v.name(),
                    v.host(),
                    v.ip().isEmpty() ? "-" : v.ip(),
                    v.sizeBytes() > 0 ? Units.bytes(v.sizeBytes()) : "-",
                    v.usedBytes() >= 0 ? Units.bytes(v.usedBytes()) : "-",
                    v.state(),
                    v.createdAt().toString());
        }
    }

    @Command(
            name = "tasks",
            aliases = {"task"},
            mixinStandardHelpOptions = true,
            description = "List scale-out tasks, newest first, with their progress.")
    static final class Tasks extends Listing<ScaleOutSummary> {
        String path() {
            return "/v1/scale-outs";
        }

        String field() {
            return "tasks";
        }

        Class<ScaleOutSummary> type() {
            return ScaleOutSummary.class;
        }

        List<String> headers() {
            return TaskViews.HEADERS;
        }

        List<String> row(ScaleOutSummary t) {
            return TaskViews.row(t);
        }
    }

    @Command(
            name = "releases",
            aliases = {"release"},
            mixinStandardHelpOptions = true,
            description = "List releases, newest first.")
    static final class Releases extends Listing<ReleaseInfo> {
        String path() {
            return "/v1/releases";
        }

        String field() {
            return "releases";
        }

        Class<ReleaseInfo> type() {
            return ReleaseInfo.class;
        }

        List<String> headers() {
            return ReleaseViews.HEADERS;
        }

        List<String> row(ReleaseInfo r) {
            return ReleaseViews.row(r);
        }
    }

    @Command(
            name = "migrations",
            aliases = {"migration"},
            mixinStandardHelpOptions = true,
            description = "List registry interface migrations, newest first.")
    static final class Migrations extends Listing<MigrationInfo> {
        String path() {
            return "/v1/migrations";
        }

        String field() {
            return "migrations";
        }

        Class<MigrationInfo> type() {
            return MigrationInfo.class;
        }

        List<String> headers() {
            return MigrationViews.HEADERS;
        }

        List<String> row(MigrationInfo m) {
            return MigrationViews.row(m);
        }
    }

    @Command(
            name = "autoscalers",
            aliases = {"autoscaler"},
            mixinStandardHelpOptions = true,
            description = "List autoscaled services: serving/current containers, the count asked for, each metric"
                    + " now against its target, the last change, and what the autoscaler makes of it.")
    static final class Autoscalers extends Listing<AutoscalerInfo> {
        String path() {
            return "/v1/autoscalers";
        }

        String field() {
            return "autoscalers";
        }

        Class<AutoscalerInfo> type() {
            return AutoscalerInfo.class;
        }

        List<String> headers() {
            return AutoscaleViews.HEADERS;
        }

        List<String> row(AutoscalerInfo a) {
            return AutoscaleViews.row(a);
        }
    }

    @Command(
            name = "scale-ins",
            aliases = {"scale-in"},
            mixinStandardHelpOptions = true,
            description =
                    "List scale-ins, newest first: containers beyond a service's count, drained before they" + " stop.")
    static final class ScaleIns extends Listing<ScaleInInfo> {
        String path() {
            return "/v1/scale-ins";
        }

        String field() {
            return "scaleIns";
        }

        Class<ScaleInInfo> type() {
            return ScaleInInfo.class;
        }

        List<String> headers() {
            return AutoscaleViews.SCALE_IN_HEADERS;
        }

        List<String> row(ScaleInInfo s) {
            return AutoscaleViews.scaleInRow(s);
        }
    }
}
