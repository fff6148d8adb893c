package io.wharf.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.wharf.client.wire.ContainerInfo;
import io.wharf.client.wire.EndpointInfo;
import io.wharf.client.wire.EndpointState;
import io.wharf.client.wire.HostInfo;
import io.wharf.client.wire.HostStatus;
import io.wharf.client.wire.OperationStatus;
import io.wharf.client.wire.Registration;
import io.wharf.client.wire.ReleaseEndpointInfo;
import io.wharf.client.wire.ReleaseInfo;
import io.wharf.client.wire.ReleaseStep;
import io.wharf.core.NotFoundException;
import io.wharf.core.cluster.ImageRecord;
import io.wharf.core.registry.ServiceKey;
import io.wharf.core.spec.ServiceSpec;
import io.wharf.core.spec.SpecParser;
import io.wharf.server.auth.Principal;
import io.wharf.server.autoscale.Autoscaler;
import io.wharf.server.cluster.Cluster;
import io.wharf.server.console.TrafficHistory;
import io.wharf.server.migration.MigrationKind;
import io.wharf.server.migration.MigrationState;
import io.wharf.server.operation.Operation;
import io.wharf.server.operation.OperationEngine;
import io.wharf.server.registry.RegisteredEndpoint;
import io.wharf.server.registry.Registry;
import io.wharf.server.release.ReleaseKind;
import io.wharf.server.release.ReleaseState;
import io.wharf.server.scalein.ScaleInKind;
import io.wharf.server.scaleout.ScaleOutKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What each page of the console shows, as the model its template reads: maps of ready-made strings, so that the
 * templates hold no logic. Built from the same views as the API's answers, for one viewer: what the viewer may
 * not read is left out, and actions are offered only to the admin.
 */
final class ConsolePages {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    private static final int OPERATIONS_SHOWN = 50;
    /** The most endpoints the registry page shows at once. */
    static final int REGISTRY_ROWS = 500;

    private final Cluster cluster;
    private final Registry registry;
    private final ClusterViews views;
    private final OperationViews operationViews;
    private final OperationEngine engine;
    private final ReleaseKind releases;
    private final ScaleOutKind scaleOuts;
    private final ScaleInKind scaleIns;
    private final MigrationKind migrations;
    private final Autoscaler autoscaler;
    private final TrafficHistory traffic;
    private final Clock clock;

    ConsolePages(ApiServer.Parts p, ClusterViews views, TrafficHistory traffic) {
        this.cluster = p.cluster();
        this.registry = p.registry();
        this.views = views;
        this.operationViews = new OperationViews(p.clock());
        this.engine = p.engine();
        this.releases = p.releases();
        this.scaleOuts = p.scaleOuts();
        this.scaleIns = p.scaleIns();
        this.migrations = p.migrationKind();
        this.autoscaler = p.autoscaler();
        this.traffic = traffic;
        this.clock = p.clock();
    }

    /** Who looks at a page, and what that lets them see and do. */
    record Viewer(Principal principal) {
        boolean admin() {
            return principal instanceof Principal.Admin;
        }

        boolean readsAll() {
            return Access.readsAll(principal);
        }

        boolean mayRead(String namespace) {
            return Access.mayRead(principal, namespace);
        }
    }

    // ---- overview

    Map<String, Object> overview(Viewer v) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (v.readsAll()) {
            List<Map<String, Object>> hosts = hosts();
            m.put("hosts", hosts);
            m.put("hasHosts", !hosts.isEmpty());
        }
        m.put("services", services(v));
        List<Map<String, Object>> running =
                operations(v).stream().filter(o -> (boolean) o.get("running")).toList();
        m.put("rows", running);
        m.put("noneRunning", running.isEmpty());
        return m;
    }

    private List<Map<String, Object>> hosts() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (var h : cluster.hosts().all()) {
            HostInfo i = views.host(h);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", i.id());
            m.put("address", i.address());
            m.put("pool", i.ipPool());
            boolean ready = i.state() == HostStatus.READY;
            m.put("state", ready ? "ready" : "lost");
            m.put("stateClass", ready ? "ok" : "bad");
            m.put("lastSeen", seconds(i.lastSeenMillisAgo()) + " ago");
            i.usage()
                    .ifPresentOrElse(
                            u -> {
                                m.put("cpu", String.format(Locale.ROOT, "%.2f", u.cpuLoad()));
                                m.put("memory", u.memoryUsedMb() + " / " + u.memoryTotalMb() + " MiB");
                            },
                            () -> {
                                m.put("cpu", "–");
                                m.put("memory", "–");
                            });
            m.put("containers", i.containers());
            m.put("balancer", i.loadBalancer().map(lb -> lb.address()).orElse("–"));
            m.put("endpoints", i.endpoints().size());
            out.add(m);
        }
        return out;
    }

    private List<Map<String, Object>> services(Viewer v) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<ServiceSpec> specs = cluster.specs().all().stream()
                .filter(s -> v.mayRead(s.key().namespace()))
                .sorted(Comparator.comparing(s -> s.key().toString()))
                .toList();
        for (ServiceSpec spec : specs) {
            ServiceKey key = spec.key();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("namespace", key.namespace());
            m.put("name", key.service());
            m.put("href", "/ui/services/" + key.namespace() + "/" + key.service());
            long up = registry.endpoints(key).stream()
                    .filter(e -> e.endpoint().state() == EndpointState.UP)
                    .count();
            m.put("ready", up);
            m.put("desired", spec.replicas());
            m.put("readyClass", up >= spec.replicas() ? "ok" : "warn");
            m.put("versions", String.join(", ", versions(key)));
            Optional<TrafficHistory.Point> p = traffic.latest(key);
            m.put(
                    "rps",
                    p.map(x -> String.format(Locale.ROOT, "%.1f", x.requestsPerSecond()))
                            .orElse("–"));
            m.put("rpsValue", p.map(TrafficHistory.Point::requestsPerSecond).orElse(0.0));
            m.put("errors", p.map(x -> percent(x.errorRate())).orElse("–"));
            m.put(
                    "p95",
                    p.flatMap(TrafficHistory.Point::p95Millis)
                            .map(ConsolePages::millis)
                            .orElse("–"));
            out.add(m);
        }
        return out;
    }

    private List<String> versions(ServiceKey key) {
        TreeSet<String> versions = new TreeSet<>();
        for (var c : cluster.containers().running(key)) versions.add(c.image().version());
        return List.copyOf(versions);
    }

    // ---- a service

    Map<String, Object> service(Viewer v, ServiceKey key) {
        if (!v.mayRead(key.namespace())) throw new NotFoundException("service", key.toString());
        ServiceSpec spec = cluster.specs().get(key).orElseThrow(() -> new NotFoundException("service", key.toString()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("namespace", key.namespace());
        m.put("name", key.service());
        m.put("image", spec.image().name());
        m.put("desired", spec.replicas());
        m.put("versions", String.join(", ", versions(key)));
        m.put("admin", v.admin());

        var traffic = views.traffic();
        Map<String, ContainerInfo> byEndpoint = new LinkedHashMap<>();
        List<Map<String, Object>> containers = new ArrayList<>();
        for (var c : cluster.containers().of(key)) {
            ContainerInfo i = views.container(c, traffic);
            if (i.endpoint() != null) byEndpoint.put(i.endpoint(), i);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", i.id());
            row.put("ordinal", i.ordinal());
            row.put("host", i.host());
            row.put("image", i.image());
            row.put("endpoint", i.endpoint());
            row.put("desired", i.desired().name().toLowerCase(Locale.ROOT));
            row.put("state", i.state().name().toLowerCase(Locale.ROOT));
            row.put(
                    "stateClass",
                    switch (i.state()) {
                        case RUNNING -> "ok";
                        case STARTING, STOPPING, STOPPED -> "warn";
                        default -> "bad";
                    });
            row.put("restarts", i.observed().map(o -> o.restarts()).orElse(0));
            row.put(
                    "cpu",
                    i.usage()
                            .map(u -> String.format(Locale.ROOT, "%.2f", u.cpuCores()))
                            .orElse("–"));
            row.put(
                    "memory",
                    i.usage().map(u -> (u.memoryBytes() >> 20) + " MiB").orElse("–"));
            containers.add(row);
        }
        m.put("containers", containers);

        List<Map<String, Object>> endpoints = new ArrayList<>();
        List<RegisteredEndpoint> registered = new ArrayList<>(registry.endpoints(key));
        registered.sort(Comparator.comparing(r -> r.endpoint().id().toString()));
        for (RegisteredEndpoint r : registered) {
            EndpointInfo e = Views.endpoint(r);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", e.id());
            row.put("state", e.state().name().toLowerCase(Locale.ROOT));
            row.put("stateClass", stateClass(e.state()));
            row.put("version", e.version());
            row.put("by", e.registeredBy().name().toLowerCase(Locale.ROOT));
            ContainerInfo c = byEndpoint.get(e.id());
            row.put("host", c == null ? "–" : c.host());
            row.put("container", c == null ? "" : c.id());
            row.put("hasContainer", c != null);
            boolean paused = c != null && c.registration() == Registration.PAUSED;
            row.put("registration", c == null ? "–" : c.registration().name().toLowerCase(Locale.ROOT));
            row.put("paused", paused);
            row.put(
                    "health",
                    c == null
                            ? "–"
                            : c.observed()
                                    .map(o -> o.healthy() ? "healthy" : "unhealthy")
                                    .orElse("not reported"));
            row.put(
                    "healthClass",
                    c != null && c.observed().map(o -> o.healthy()).orElse(false) ? "ok" : "warn");
            row.put("admin", v.admin());
            endpoints.add(row);
        }
        m.put("endpoints", endpoints);
        m.put("noEndpoints", endpoints.isEmpty());

        List<TrafficHistory.Point> points = this.traffic.points(key);
        m.put("charts", charts(points));
        m.put("noTraffic", points.isEmpty());

        spec.autoscale()
                .ifPresent(a -> m.put(
                        "decisions",
                        autoscaler.decisions(key, Autoscaler.KEEP).stream()
                                .map(d -> Map.of(
                                        "at", TIME.format(d.at()),
                                        "from", d.from(),
                                        "to", d.to(),
                                        "reason", d.reason()))
                                .toList()));
        m.put("autoscaled", spec.autoscale().isPresent());
        m.put("spec", yaml(SpecParser.toDocument(spec)));
        return m;
    }

    /** The versions a release of {@code key} may move to: the pushed versions of its image, newest first. */
    List<Map<String, Object>> releasable(ServiceKey key) {
        ServiceSpec spec = cluster.specs().get(key).orElseThrow(() -> new NotFoundException("service", key.toString()));
        return cluster.images().list().stream()
                .filter(i -> i.ref().name().equals(spec.image().name()))
                .sorted(Comparator.comparing(ImageRecord::createdAt).reversed())
                .map(i -> Map.<String, Object>of(
                        "version",
                        i.ref().version(),
                        "current",
                        i.ref().version().equals(spec.image().version())))
                .toList();
    }

    private static String yaml(Object document) {
        try {
            return YAML.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Three charts of the service's traffic, each as uPlot's data: times, then one row per line. */
    private static List<Map<String, Object>> charts(List<TrafficHistory.Point> points) {
        List<Object> at = new ArrayList<>();
        List<Object> rps = new ArrayList<>();
        List<Object> errors = new ArrayList<>();
        List<Object> p50 = new ArrayList<>();
        List<Object> p95 = new ArrayList<>();
        List<Object> p99 = new ArrayList<>();
        for (TrafficHistory.Point p : points) {
            at.add(p.at().getEpochSecond());
            rps.add(round(p.requestsPerSecond()));
            errors.add(round(p.errorRate() * 100));
            p50.add(p.p50Millis().map(ConsolePages::round).orElse(null));
            p95.add(p.p95Millis().map(ConsolePages::round).orElse(null));
            p99.add(p.p99Millis().map(ConsolePages::round).orElse(null));
        }
        return List.of(
                chart("Requests per second", "req/s", List.of("requests/s"), List.of(at, rps)),
                chart("Errors", "%", List.of("error rate"), List.of(at, errors)),
                chart("Response time", "ms", List.of("p50", "p95", "p99"), List.of(at, p50, p95, p99)));
    }

    private static Map<String, Object> chart(String title, String unit, List<String> series, List<List<Object>> data) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("title", title);
        spec.put("unit", unit);
        spec.put("series", series);
        spec.put("data", data);
        try {
            return Map.of("title", title, "json", Json.MAPPER.writeValueAsString(spec));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- operations

    Map<String, Object> operationsPage(Viewer v) {
        List<Map<String, Object>> ops = operations(v);
        return Map.of("rows", ops, "none", ops.isEmpty());
    }

    /** Every operation the viewer may see, running ones first, then newest first. */
    private List<Map<String, Object>> operations(Viewer v) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Operation<ReleaseState> op : engine.list(releases)) {
            if (!v.mayRead(op.state().namespace())) continue;
            out.add(operation(
                    op,
                    "release",
                    op.state().namespace() + "/" + op.state().service() + " → "
                            + op.state().version() + " (" + op.state().mode() + ")",
                    "/ui/releases/" + op.id()));
        }
        if (v.readsAll()) {
            for (var op : engine.list(scaleOuts)) {
                var s = operationViews.scaleOutSummary(op);
                out.add(operation(
                        op,
                        "scale-out",
                        String.join(", ", s.groups()) + ": " + s.services().done() + "/"
                                + s.services().total()
                                + " services, " + s.containers().serving() + "/"
                                + s.containers().total()
                                + " containers",
                        "/ui/scale-outs/" + op.id()));
            }
            for (var op : engine.list(migrations)) {
                out.add(operation(op, "migration", migration(op), ""));
            }
        }
        for (var op : engine.list(scaleIns)) {
            if (!v.mayRead(op.state().namespace())) continue;
            out.add(operation(
                    op,
                    "scale-in",
                    op.state().namespace() + "/" + op.state().service() + ": "
                            + op.state().containers().size() + " leaving",
                    ""));
        }
        out.sort(Comparator.<Map<String, Object>, Boolean>comparing(m -> !(boolean) m.get("running"))
                .thenComparing(m -> (String) m.get("created"), Comparator.reverseOrder()));
        return out.size() > OPERATIONS_SHOWN ? out.subList(0, OPERATIONS_SHOWN) : out;
    }

    private static String migration(Operation<MigrationState> op) {
        var s = op.state();
        return s.from().name() + " → " + s.to().name() + " (" + s.phase().name().toLowerCase(Locale.ROOT) + ")";
    }

    private Map<String, Object> operation(Operation<?> op, String kind, String what, String href) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", op.id());
        m.put("kind", kind);
        m.put("what", what);
        m.put("href", href);
        m.put("hasHref", !href.isEmpty());
        m.put("status", op.status().name());
        m.put("statusClass", statusClass(op.status()));
        boolean running = op.status() == OperationStatus.RUNNING;
        m.put("running", running);
        m.put("created", TIME.format(op.createdAt()));
        m.put(
                "took",
                running
                        ? "running"
                        : seconds(
                                Duration.between(op.createdAt(), op.updatedAt()).toMillis()));
        m.put("reason", op.reason().isEmpty() ? op.lastError() : op.reason());
        return m;
    }

    private static String stateClass(EndpointState s) {
        return switch (s) {
            case UP -> "ok";
            case DRAINING -> "warn";
            case DOWN -> "bad";
        };
    }

    private static String statusClass(OperationStatus s) {
        return switch (s) {
            case RUNNING -> "run";
            case COMPLETED -> "ok";
            case COMPLETED_WITH_SKIPS -> "warn";
            case FAILED -> "bad";
        };
    }

    // ---- a release, as a timeline

    /** The steps a timeline draws, in order, and the class each is drawn with. */
    private static final List<ReleaseStep> DRAWN = List.of(
            ReleaseStep.PENDING,
            ReleaseStep.STARTING,
            ReleaseStep.WATCHING,
            ReleaseStep.RETIRING,
            ReleaseStep.DRAINING,
            ReleaseStep.CHECKING,
            ReleaseStep.ROLLING_BACK);

    Map<String, Object> release(Viewer v, String id) {
        var op = engine.get(releases, id)
                .filter(o -> v.mayRead(o.state().namespace()))
                .orElseThrow(() -> new NotFoundException("release", id));
        ReleaseInfo r = OperationViews.release(op);
        Instant start = op.createdAt();
        boolean running = op.status() == OperationStatus.RUNNING;
        Instant end = running ? clock.instant() : op.updatedAt();
        double total = Math.max(1, Duration.between(start, end).toMillis());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("service", r.namespace() + "/" + r.service());
        m.put("href", "/ui/services/" + r.namespace() + "/" + r.service());
        m.put("version", r.version());
        m.put("mode", r.mode());
        m.put("parallelism", r.parallelism());
        m.put("status", r.status().name());
        m.put("statusClass", statusClass(r.status()));
        m.put("reason", r.reason());
        m.put("created", TIME.format(start));
        long took = Duration.between(start, end).toMillis();
        m.put("took", seconds(running ? took / 1000 * 1000 : took)); // while running, whole seconds: fewer updates
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ReleaseEndpointInfo e : r.endpoints()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("endpoint", e.endpoint());
            row.put("host", e.host());
            row.put("from", e.fromVersion());
            row.put("step", e.step().name().toLowerCase(Locale.ROOT).replace('_', ' '));
            row.put(
                    "stepClass",
                    "step-" + e.step().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            row.put("note", e.reason().isEmpty() ? e.waitingFor() : e.reason());
            List<Map<String, Object>> segments = new ArrayList<>();
            Map<String, Instant> steps = e.steps();
            List<Map.Entry<ReleaseStep, Instant>> seen = new ArrayList<>();
            for (ReleaseStep s : ReleaseStep.values()) {
                Instant at = steps.get(s.name());
                if (at != null) seen.add(Map.entry(s, at));
            }
            seen.sort(Map.Entry.comparingByValue());
            for (int i = 0; i < seen.size(); i++) {
                ReleaseStep s = seen.get(i).getKey();
                if (!DRAWN.contains(s)) continue;
                Instant from = seen.get(i).getValue();
                Instant to = i + 1 < seen.size() ? seen.get(i + 1).getValue() : end;
                long fromMs = Duration.between(start, from).toMillis();
                long ms = Math.max(0, Duration.between(from, to).toMillis());
                Map<String, Object> seg = new LinkedHashMap<>();
                seg.put("x", String.format(Locale.ROOT, "%.1f", fromMs / total * 1000));
                seg.put("width", String.format(Locale.ROOT, "%.1f", Math.max(2, ms / total * 1000)));
                seg.put("class", "step-" + s.name().toLowerCase(Locale.ROOT).replace('_', '-'));
                seg.put(
                        "label",
                        s.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " at +" + seconds(fromMs)
                                + (i + 1 < seen.size() ? ", for " + seconds(ms) : ""));
                segments.add(seg);
            }
            row.put("segments", segments);
            row.put(
                    "steps",
                    seen.stream()
                            .map(x -> x.getKey().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " +"
                                    + seconds(Duration.between(start, x.getValue())
                                            .toMillis()))
                            .toList());
            rows.add(row);
        }
        m.put("endpoints", rows);
        return m;
    }

    // ---- a scale-out task, service by service and container by container

    Map<String, Object> scaleOut(Viewer v, String id) {
        if (!v.readsAll()) throw new NotFoundException("scale-out", id);
        var op = engine.get(scaleOuts, id).orElseThrow(() -> new NotFoundException("scale-out", id));
        var info = operationViews.scaleOut(op);
        var task = info.task();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", task.id());
        m.put("groups", String.join(", ", task.groups()));
        m.put("status", task.status().name());
        m.put("statusClass", statusClass(op.status()));
        m.put("reason", task.reason().isEmpty() ? task.lastError() : task.reason());
        m.put("created", TIME.format(task.createdAt()));
        boolean running = op.status() == OperationStatus.RUNNING;
        m.put("took", seconds(running ? task.elapsedMillis() / 1000 * 1000 : task.elapsedMillis()));
        m.put("servicesDone", task.services().done() + " of " + task.services().total());
        m.put(
                "containersServing",
                task.containers().serving() + " of " + task.containers().total());
        m.put(
                "services",
                info.services().stream()
                        .map(s -> {
                            Map<String, Object> row = new LinkedHashMap<>();
                            row.put("service", s.namespace() + "/" + s.service());
                            row.put("status", s.status().name().toLowerCase(Locale.ROOT));
                            row.put("nodes", s.nodes());
                            row.put("version", s.targetVersion());
                            row.put(
                                    "took",
                                    seconds(Duration.between(s.createdAt(), s.updatedAt())
                                            .toMillis()));
                            row.put("reason", s.reason());
                            return row;
                        })
                        .toList());
        m.put(
                "containers",
                info.containers().stream()
                        .map(c -> {
                            Map<String, Object> row = new LinkedHashMap<>();
                            row.put("id", c.id());
                            row.put("status", c.status().name().toLowerCase(Locale.ROOT));
                            row.put(
                                    "statusClass",
                                    switch (c.status()) {
                                        case SERVING -> "ok";
                                        case FAILED -> "bad";
                                        default -> "warn";
                                    });
                            row.put("took", seconds(c.elapsedMillis()));
                            row.put("reason", c.reason());
                            return row;
                        })
                        .toList());
        return m;
    }

    // ---- hosts and the registry

    Map<String, Object> hostsPage(Viewer v) {
        if (!v.readsAll()) throw new NotFoundException("page", "hosts (a token that reads every namespace sees it)");
        return Map.of("hosts", hosts());
    }

    /**
     * The registry, or what of it matches {@code query}: at most {@link #REGISTRY_ROWS} endpoints, so that a
     * registry of a million endpoints makes a page of a few hundred rows and its live refresh costs little.
     */
    Map<String, Object> registryPage(Viewer v, String query) {
        String q = query.strip().toLowerCase(Locale.ROOT);
        List<Map<String, Object>> namespaces = new ArrayList<>();
        int shown = 0;
        boolean more = false;
        for (var ns : registry.namespaces()) {
            if (more) break;
            if (!v.mayRead(ns.name())) continue;
            List<Map<String, Object>> services = new ArrayList<>();
            for (var s : registry.services(ns.name())) {
                if (shown >= REGISTRY_ROWS) {
                    more = true;
                    break;
                }
                ServiceKey key = s.key();
                boolean serviceMatches =
                        q.isEmpty() || key.toString().toLowerCase(Locale.ROOT).contains(q);
                List<Map<String, Object>> endpoints = new ArrayList<>();
                for (RegisteredEndpoint r : registry.endpoints(key)) {
                    EndpointInfo e = Views.endpoint(r);
                    String text = (e.id() + " " + e.version() + " " + e.state()).toLowerCase(Locale.ROOT);
                    if (!serviceMatches && !text.contains(q)) continue;
                    if (shown + endpoints.size() >= REGISTRY_ROWS) {
                        more = true;
                        break;
                    }
                    endpoints.add(Map.of(
                            "id", e.id(),
                            "state", e.state().name().toLowerCase(Locale.ROOT),
                            "stateClass", stateClass(e.state()),
                            "version", e.version() == null ? "" : e.version(),
                            "revision", e.revision()));
                }
                if (!serviceMatches && endpoints.isEmpty()) continue;
                endpoints.sort(Comparator.comparing(e -> (String) e.get("id")));
                shown += endpoints.size();
                services.add(Map.of(
                        "name", key.service(),
                        "href", "/ui/services/" + key.namespace() + "/" + key.service(),
                        "hasSpec", cluster.specs().get(key).isPresent(),
                        "revision", registry.snapshot(key).revision(),
                        "endpoints", endpoints,
                        "count", endpoints.size()));
            }
            if (services.isEmpty() && !(q.isEmpty() || ns.name().contains(q))) continue;
            namespaces.add(Map.of("name", ns.name(), "services", services));
        }
        return Map.of(
                "query", query,
                "namespaces", namespaces,
                "none", namespaces.isEmpty(),
                "shown", shown,
                "more", more,
                "limit", REGISTRY_ROWS,
                "revision", registry.revision());
    }

    // ---- formatting

    private static String seconds(long millis) {
        if (millis < 10_000) return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        if (millis < 120_000) return (millis / 1000) + " s";
        return (millis / 60_000) + " min";
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f %%", fraction * 100);
    }

    private static String millis(double ms) {
        return String.format(Locale.ROOT, "%.1f ms", ms);
    }

    private static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }
}
