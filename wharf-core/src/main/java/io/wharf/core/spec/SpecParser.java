package io.wharf.core.spec;

import io.wharf.client.wire.Protocol;
import io.wharf.core.Durations;
import io.wharf.core.InvalidInputException;
import io.wharf.core.Violation;
import io.wharf.core.registry.Names;
import io.wharf.core.registry.ServiceKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads a service spec from its document form (a map, as parsed from YAML or JSON) and writes it back.
 * Every wrong field is collected, so one refusal names them all.
 */
public final class SpecParser {
    private static final Set<String> TOP = Set.of(
            "namespace",
            "name",
            "image",
            "replicas",
            "ports",
            "resources",
            "env",
            "labels",
            "health",
            "loadBalancer",
            "autoscale",
            "kind",
            "volumes",
            "network",
            "intake");
    private static final Pattern MEMORY = Pattern.compile("(\\d{1,9})(Ki|Mi|Gi)?");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})(Ki|Mi|Gi|Ti)?");
    private static final Pattern VOLUME_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?");
    /** The most volumes one service may have. */
    public static final int MAX_VOLUMES = 16;
    /** The most replicas one spec may ask for. */
    public static final int MAX_REPLICAS = 1000;

    private final Fields f = new Fields();
    private final List<Violation> wrong = f.wrong;

    private SpecParser() {}

    /**
     * Parses a spec document.
     *
     * @throws InvalidInputException naming every wrong field
     */
    public static ServiceSpec parse(Map<String, ?> doc) {
        return new SpecParser().read(doc);
    }

    private ServiceSpec read(Map<String, ?> doc) {
        f.unknown("", doc, TOP);
        String namespace = f.string(doc, "namespace", Names.DEFAULT_NAMESPACE);
        String name = f.string(doc, "name", null);
        ServiceKey key = null;
        if (name == null) {
            if (doc.get("name") == null) wrong.add(new Violation("name", "missing (expected: the service's name)"));
        } else {
            try {
                key = new ServiceKey(namespace, name);
            } catch (InvalidInputException e) {
                // ServiceKey names its parts namespace/service; in a spec document they are namespace/name
                e.violations()
                        .forEach(v ->
                                wrong.add(new Violation(v.field().equals("service") ? "name" : v.field(), v.reason())));
            }
        }
        String imageText = f.string(doc, "image", null);
        ImageRef image = null;
        if (imageText == null) {
            wrong.add(new Violation("image", "missing (expected: name:version, e.g. demo:v1)"));
        } else {
            image = f.attempt(() -> ImageRef.parse("image", imageText));
        }
        long replicas = f.integer(doc, "replicas", 1);
        if (replicas < 0 || replicas > MAX_REPLICAS) {
            wrong.add(new Violation("replicas", replicas + " (expected: 0.." + MAX_REPLICAS + ")"));
        }
        List<PortSpec> ports = ports(doc.get("ports"));
        Map<String, ?> resources = f.map(doc, "resources");
        f.unknown("resources.", resources, Set.of("cpu", "memory"));
        double cpu = f.number(resources, "resources.cpu", resources.get("cpu"), 0);
        if (cpu < 0 || cpu > 256) wrong.add(new Violation("resources.cpu", cpu + " (expected: 0..256 cores)"));
        long memoryMb = memory(resources.get("memory"));
        Map<String, String> env = f.strings(doc, "env");
        env.keySet().forEach(k -> {
            if (!k.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                wrong.add(new Violation(
                        "env." + Names.printable(k), "not a variable name (expected: letters, digits, '_')"));
            } else if (k.startsWith("WHARF_") || k.equals("PORT")) {
                wrong.add(new Violation(
                        "env." + k,
                        "reserved: the platform sets it for every container (WHARF_IP, WHARF_SERVICE, PORT, …)"));
            }
        });
        Map<String, String> labels = f.strings(doc, "labels");
        HealthCheckSpec health = health(f.map(doc, "health"));
        LoadBalancing loadBalancer = loadBalancer(f.map(doc, "loadBalancer"));
        Optional<AutoscaleSpec> autoscale = AutoscaleSpec.read(f, doc, memoryMb);
        String kind = f.string(doc, "kind", "stateless");
        if (kind != null && !kind.equals("stateless") && !kind.equals("stateful")) {
            wrong.add(new Violation("kind", "'" + Names.printable(kind) + "' (expected: stateless or stateful)"));
        }
        List<VolumeSpec> volumes = volumes(doc.get("volumes"));
        String network = f.string(doc, "network", "bridge");
        if (network != null && !network.equals("bridge") && !network.equals("host")) {
            wrong.add(new Violation(
                    "network", "'" + Names.printable(network) + "' (expected: bridge, a network of its own, or host)"));
        }
        Optional<IntakeSpec> intake = IntakeSpec.read(f, doc);
        if (!wrong.isEmpty() || key == null || image == null) {
            throw new InvalidInputException(wrong);
        }
        return new ServiceSpec(
                key,
                image,
                (int) replicas,
                ports,
                cpu,
                memoryMb,
                env,
                labels,
                health,
                loadBalancer,
                autoscale,
                volumes,
                "stateful".equals(kind),
                "host".equals(network),
                intake);
    }

    private List<PortSpec> ports(@Nullable Object value) {
        List<PortSpec> ports = new ArrayList<>();
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            wrong.add(new Violation(
                    "ports",
                    (value == null ? "missing" : "'" + value + "'")
                            + " (expected: a list of at least one {port, protocol, external, contextPath})"));
            return ports;
        }
        for (int i = 0; i < list.size(); i++) {
            String at = "ports[" + i + "].";
            if (!(list.get(i) instanceof Map<?, ?> raw)) {
                wrong.add(new Violation("ports[" + i + "]", "expected: an object"));
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, ?> p = (Map<String, ?>) raw;
            f.unknown(at, p, Set.of("port", "protocol", "external", "contextPath"));
            long port = f.integer(p, at + "port", p.get("port"), -1);
            if (port < 1 || port > 65535)
                wrong.add(new Violation(
                        at + "port",
                        (port < 0 && !p.containsKey("port") ? "missing" : port) + " (expected: 1..65535)"));
            Protocol protocol = Protocol.HTTP;
            Object proto = p.get("protocol");
            if (proto != null) {
                try {
                    protocol = Protocol.valueOf(proto.toString().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    wrong.add(new Violation(at + "protocol", "'" + proto + "' (expected: HTTP or TCP)"));
                }
            }
            Optional<Integer> external = Optional.empty();
            if (p.get("external") != null) {
                long ext = f.integer(p, at + "external", p.get("external"), -1);
                if (ext < 1 || ext > 65535) wrong.add(new Violation(at + "external", ext + " (expected: 1..65535)"));
                else external = Optional.of((int) ext);
            }
            String contextPath =
                    p.get("contextPath") == null ? "/" : p.get("contextPath").toString();
            if (!contextPath.startsWith("/"))
                wrong.add(
                        new Violation(at + "contextPath", "'" + contextPath + "' (expected: a path starting with /)"));
            ports.add(new PortSpec((int) Math.max(port, 1), protocol, external, contextPath));
        }
        return ports;
    }

    private List<VolumeSpec> volumes(@Nullable Object value) {
        List<VolumeSpec> volumes = new ArrayList<>();
        if (value == null) return volumes;
        if (!(value instanceof List<?> list) || list.size() > MAX_VOLUMES) {
            wrong.add(new Violation("volumes", "expected: a list of at most " + MAX_VOLUMES + " {name, path, size}"));
            return volumes;
        }
        Set<String> names = new java.util.HashSet<>();
        Set<String> paths = new java.util.HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "volumes[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> raw)) {
                wrong.add(new Violation(at, "expected: an object {name, path, size}"));
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, ?> v = (Map<String, ?>) raw;
            f.unknown(at + ".", v, Set.of("name", "path", "size"));
            String name = v.get("name") == null ? null : v.get("name").toString();
            if (name == null) {
                wrong.add(new Violation(at + ".name", "missing (expected: a name such as data)"));
                continue;
            }
            if (!VOLUME_NAME.matcher(name).matches()) {
                wrong.add(new Violation(
                        at + ".name",
                        "'" + Names.printable(name)
                                + "' (expected: 1-32 lowercase letters, digits and '-', starting and ending with a"
                                + " letter or digit)"));
            } else if (!names.add(name)) {
                wrong.add(new Violation(at + ".name", "'" + name + "' is the name of another volume"));
            }
            String path = v.get("path") == null ? name : v.get("path").toString();
            String normal = volumePath(at + ".path", path);
            if (normal != null && !paths.add(normal)) {
                wrong.add(new Violation(at + ".path", "'" + path + "' is the path of another volume"));
            }
            long size = v.get("size") == null ? 0 : size(at + ".size", v.get("size"));
            volumes.add(new VolumeSpec(name, normal == null ? name : normal, size));
        }
        return volumes;
    }

    /** {@code path} made plain (no {@code .}, no doubled {@code /}), or null if it leaves the container's directory. */
    private @Nullable String volumePath(String field, String path) {
        String why = null;
        if (path.isBlank() || path.length() > 255) why = "expected: a path of 1-255 characters";
        else if (path.startsWith("/")) why = "an absolute path (expected: a path inside the container's directory)";
        else if (!path.matches("[A-Za-z0-9._/-]+")) why = "expected: letters, digits, '.', '_', '-' and '/' only";
        List<String> parts = new ArrayList<>();
        if (why == null) {
            for (String part : path.split("/")) {
                if (part.isEmpty() || part.equals(".")) continue;
                if (part.equals("..")) {
                    why = "leaves the container's directory (expected: a path inside it, without '..')";
                    break;
                }
                parts.add(part);
            }
            if (why == null && parts.isEmpty()) why = "the container's directory itself (expected: a path inside it)";
        }
        if (why != null) {
            wrong.add(new Violation(
                    field,
                    "'" + Names.printable(path) + "' " + (why.startsWith("expected") ? "(" + why + ")" : "— " + why)));
            return null;
        }
        return String.join("/", parts);
    }

    /** A size such as {@code 1Gi}, {@code 512Mi} or a number of bytes. */
    private long size(String field, Object value) {
        Matcher m = SIZE.matcher(value.toString());
        if (!m.matches()) {
            wrong.add(new Violation(field, "'" + value + "' (expected: e.g. 512Mi, 10Gi, 1Ti, or bytes)"));
            return 0;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2);
        return unit == null
                ? n
                : switch (unit) {
                    case "Ki" -> n << 10;
                    case "Mi" -> n << 20;
                    case "Gi" -> n << 30;
                    default -> n << 40;
                };
    }

    private HealthCheckSpec health(Map<String, ?> h) {
        f.unknown("health.", h, Set.of("path", "command", "interval", "timeout", "attempts"));
        HealthCheckSpec d = HealthCheckSpec.defaults();
        Optional<String> path = Optional.ofNullable(h.get("path")).map(Object::toString);
        path.filter(p -> !p.startsWith("/"))
                .ifPresent(
                        p -> wrong.add(new Violation("health.path", "'" + p + "' (expected: a path starting with /)")));
        Optional<String> command = Optional.ofNullable(h.get("command")).map(Object::toString);
        command.filter(c -> c.isBlank() || c.length() > 1000)
                .ifPresent(c -> wrong.add(new Violation(
                        "health.command",
                        "'" + Names.printable(c) + "' (expected: a shell command of 1-1000 characters)")));
        if (path.isPresent() && command.isPresent()) {
            wrong.add(new Violation("health.command", "given with health.path (expected: one of them)"));
        }
        Duration interval = f.duration(h, "health.interval", h.get("interval"), d.interval());
        Duration timeout = f.duration(h, "health.timeout", h.get("timeout"), d.timeout());
        long attempts = f.integer(h, "health.attempts", h.get("attempts"), d.attempts());
        if (attempts < 1 || attempts > 100)
            wrong.add(new Violation("health.attempts", attempts + " (expected: 1..100)"));
        if (interval.toMillis() < 100)
            wrong.add(new Violation("health.interval", Durations.format(interval) + " (expected: at least 100ms)"));
        if (timeout.toMillis() < 10)
            wrong.add(new Violation("health.timeout", Durations.format(timeout) + " (expected: at least 10ms)"));
        return new HealthCheckSpec(path, command, interval, timeout, (int) attempts);
    }

    private LoadBalancing loadBalancer(Map<String, ?> lb) {
        f.unknown("loadBalancer.", lb, Set.of("rule", "hashHeader", "slowStart"));
        String rule = f.string(lb, "rule", "round-robin");
        String normalized = rule == null
                ? "round-robin"
                : rule.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        if (!LoadBalancing.RULES.contains(normalized)) {
            wrong.add(new Violation(
                    "loadBalancer.rule",
                    "'" + rule + "' (expected one of: " + String.join(", ", LoadBalancing.RULES) + ")"));
        }
        Optional<String> header = Optional.ofNullable(f.string(lb, "hashHeader", null));
        header.filter(h -> !h.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}"))
                .ifPresent(h ->
                        wrong.add(new Violation("loadBalancer.hashHeader", "'" + h + "' (expected: a header name)")));
        if (header.isPresent() && !normalized.equals("consistent-hash")) {
            wrong.add(new Violation(
                    "loadBalancer.hashHeader", "only used by rule consistent-hash (rule is " + normalized + ")"));
        }
        Duration slowStart = f.duration(lb, "loadBalancer.slowStart", lb.get("slowStart"), Duration.ZERO);
        if (slowStart.compareTo(LoadBalancing.MAX_SLOW_START) > 0) {
            wrong.add(new Violation(
                    "loadBalancer.slowStart",
                    Durations.format(slowStart) + " (expected: 0s to " + Durations.format(LoadBalancing.MAX_SLOW_START)
                            + ")"));
        }
        String ignoredBecause =
                switch (normalized) {
                    case "consistent-hash" -> "which keeps each key on its endpoint";
                    case "least-connections" -> "which gives a slow endpoint fewer requests by itself";
                    default -> null;
                };
        if (!slowStart.isZero() && ignoredBecause != null) {
            wrong.add(
                    new Violation("loadBalancer.slowStart", "not used by rule " + normalized + ", " + ignoredBecause));
        }
        return new LoadBalancing(normalized, header, slowStart);
    }

    private long memory(@Nullable Object value) {
        if (value == null) return 0;
        if (!MEMORY.matcher(value.toString()).matches()) {
            wrong.add(new Violation("resources.memory", "'" + value + "' (expected: e.g. 256Mi, 1Gi, or bytes)"));
            return 0;
        }
        return (size("resources.memory", value) + (1 << 20) - 1) >> 20;
    }

    /** The document form of {@code spec}, as {@link #parse} reads it. */
    public static Map<String, Object> toDocument(ServiceSpec spec) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("namespace", spec.key().namespace());
        doc.put("name", spec.key().service());
        doc.put("image", spec.image().toString());
        doc.put("replicas", spec.replicas());
        List<Map<String, Object>> ports = new ArrayList<>();
        for (PortSpec p : spec.ports()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("port", p.port());
            m.put("protocol", p.protocol().name());
            p.external().ifPresent(e -> m.put("external", e));
            m.put("contextPath", p.contextPath());
            ports.add(m);
        }
        doc.put("ports", ports);
        Map<String, Object> resources = new LinkedHashMap<>();
        if (spec.cpu() > 0) resources.put("cpu", spec.cpu());
        if (spec.memoryMb() > 0) resources.put("memory", spec.memoryMb() + "Mi");
        doc.put("resources", resources);
        doc.put("env", new LinkedHashMap<>(spec.env()));
        doc.put("labels", new LinkedHashMap<>(spec.labels()));
        Map<String, Object> health = new LinkedHashMap<>();
        spec.health().path().ifPresent(p -> health.put("path", p));
        spec.health().command().ifPresent(c -> health.put("command", c));
        health.put("interval", Durations.format(spec.health().interval()));
        health.put("timeout", Durations.format(spec.health().timeout()));
        health.put("attempts", spec.health().attempts());
        doc.put("health", health);
        Map<String, Object> lb = new LinkedHashMap<>();
        lb.put("rule", spec.loadBalancer().rule());
        spec.loadBalancer().hashHeader().ifPresent(h -> lb.put("hashHeader", h));
        if (!spec.loadBalancer().slowStart().isZero())
            lb.put("slowStart", Durations.format(spec.loadBalancer().slowStart()));
        doc.put("loadBalancer", lb);
        spec.autoscale().ifPresent(a -> doc.put("autoscale", a.toDocument()));
        if (spec.stateful()) doc.put("kind", "stateful");
        if (spec.hostNetwork()) doc.put("network", "host");
        spec.intake().ifPresent(i -> doc.put("intake", i.toDocument()));
        if (!spec.volumes().isEmpty()) {
            List<Map<String, Object>> volumes = new ArrayList<>();
            for (VolumeSpec v : spec.volumes()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", v.name());
                m.put("path", v.path());
                if (v.sizeBytes() > 0) m.put("size", v.sizeBytes());
                volumes.add(m);
            }
            doc.put("volumes", volumes);
        }
        return doc;
    }
}
