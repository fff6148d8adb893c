package io.wharf.lb.haproxy;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import io.wharf.client.sdk.Rule;
import io.wharf.client.wire.Protocol;
import io.wharf.core.registry.ServiceKey;
import io.wharf.lb.LbSettings;
import io.wharf.lb.Route;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * {@code haproxy.cfg} from the load-balancer metadata (claim 004.4): a pure function of the routes, the
 * endpoint slots of each backend and the settings, rendered through a Mustache template — the built-in one
 * ({@code haproxy.cfg.mustache} beside this class) or the user's. The model a template can use:
 *
 * <ul>
 *   <li>{@code statsSocket}, {@code threads}, {@code connectTimeoutMs}, {@code clientTimeoutMs},
 *       {@code serverTimeoutMs}, {@code requestHeadTimeoutMs}; {@code logAddress}, where HTTP requests are
 *       logged as {@code %b %s %Ta %ST} for the per-request latency (UDP, {@code IP:PORT});
 *   <li>{@code frontends}: {@code name}, {@code mode} ({@code http}|{@code tcp}), {@code address}, {@code port},
 *       {@code http} (true for HTTP), {@code paths} (longest first: {@code acl}, {@code path}, {@code
 *       backend}), {@code defaultBackend} (the route of {@code /}, or the TCP route's backend);
 *   <li>{@code backends}: {@code name}, {@code mode}, {@code http}, {@code balance}, {@code consistent},
 *       {@code service},
 *       {@code servers} ({@code name}, {@code address}, {@code port}, {@code weight}, {@code maintenance} for a
 *       free slot, {@code slowStartMs}).
 * </ul>
 */
public final class HaproxyConfig {
    private static final String BUILT_IN = "haproxy.cfg.mustache";

    private final Template template;

    private HaproxyConfig(Template template) {
        this.template = template;
    }

    /** The built-in template. */
    public static HaproxyConfig builtIn() {
        try (InputStream in = HaproxyConfig.class.getResourceAsStream(BUILT_IN)) {
            return of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A user's template.
     *
     * @throws com.samskivert.mustache.MustacheException if it is not a template
     */
    public static HaproxyConfig of(String template) {
        return new HaproxyConfig(Mustache.compiler().escapeHTML(false).compile(template));
    }

    /** One endpoint slot of a backend: free (in maintenance) or an endpoint's address and weight. */
    public record Slot(String name, Optional<String> ip, int weight, boolean draining) {
        /** A free slot. */
        public static Slot free(String name) {
            return new Slot(name, Optional.empty(), 1, false);
        }
    }

    /** The backend of a route: one per service, protocol and endpoint port. */
    public static String backendName(Route r) {
        return "be_" + clean(r.service().namespace()) + "_" + clean(r.service().service()) + "_"
                + r.protocol().name().toLowerCase(Locale.ROOT) + "_" + r.backendPort();
    }

    private static String clean(String s) {
        return s.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    /** The {@code balance} line of {@code rule}. */
    static String balance(Rule rule, Protocol protocol, Optional<String> hashHeader) {
        return switch (rule) {
            // roundrobin is weighted and takes weight changes at run time (static-rr does not)
            case ROUND_ROBIN, WEIGHTED_ROUND_ROBIN -> "roundrobin";
            case LEAST_CONNECTIONS -> "leastconn";
            case POWER_OF_TWO_CHOICES -> "random(2)";
            case CONSISTENT_HASH ->
                protocol == Protocol.HTTP && hashHeader.isPresent() ? "hdr(" + hashHeader.get() + ")" : "source";
        };
    }

    /**
     * Renders the configuration.
     *
     * @param slots each backend's slots, by backend name
     */
    public String render(List<Route> routes, Map<String, List<Slot>> slots, LbSettings settings, String statsSocket) {
        return render(routes, slots, settings, statsSocket, null);
    }

    /**
     * Renders the configuration, HAProxy's log of each HTTP request ({@code BACKEND SERVER Ta STATUS}) sent to
     * {@code logAddress} ({@code IP:PORT}, UDP) if given.
     *
     * @param slots each backend's slots, by backend name
     */
    public String render(
            List<Route> routes,
            Map<String, List<Slot>> slots,
            LbSettings settings,
            String statsSocket,
            @Nullable String logAddress) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("statsSocket", statsSocket);
        model.put("logAddress", logAddress == null ? false : logAddress);
        model.put("threads", settings.ioThreads());
        model.put("connectTimeoutMs", settings.connectTimeout().toMillis());
        model.put("clientTimeoutMs", settings.clientIdleTimeout().toMillis());
        model.put("serverTimeoutMs", settings.responseTimeout().toMillis());
        model.put("requestHeadTimeoutMs", settings.requestHeadTimeout().toMillis());
        Map<Integer, List<Route>> byPort = new TreeMap<>();
        for (Route r : routes)
            byPort.computeIfAbsent(r.externalPort(), p -> new ArrayList<>()).add(r);
        List<Map<String, Object>> frontends = new ArrayList<>();
        for (var e : byPort.entrySet()) {
            Route first = e.getValue().get(0);
            Map<String, Object> f = new LinkedHashMap<>();
            boolean http = first.protocol() == Protocol.HTTP;
            f.put("name", "fe_" + e.getKey());
            f.put("mode", http ? "http" : "tcp");
            f.put("address", settings.address());
            f.put("port", e.getKey());
            f.put("http", http);
            List<Map<String, Object>> paths = new ArrayList<>();
            String fallback = http ? null : backendName(first);
            List<Route> longestFirst = new ArrayList<>(e.getValue());
            longestFirst.sort(
                    Comparator.comparingInt((Route r) -> r.contextPath().length())
                            .reversed());
            int n = 0;
            for (Route r : longestFirst) {
                if (!http) break;
                if (r.contextPath().equals("/")) {
                    fallback = backendName(r);
                    continue;
                }
                paths.add(Map.of("acl", "path_" + n++, "path", r.contextPath(), "backend", backendName(r)));
            }
            f.put("paths", paths);
            f.put("defaultBackend", fallback == null ? false : fallback);
            frontends.add(f);
        }
        model.put("frontends", frontends);
        Map<String, Map<String, Object>> backends = new LinkedHashMap<>();
        for (Route r : routes) {
            String name = backendName(r);
            if (backends.containsKey(name)) continue;
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("name", name);
            b.put("service", r.service().toString());
            b.put("mode", r.protocol() == Protocol.HTTP ? "http" : "tcp");
            b.put("balance", balance(r.rule(), r.protocol(), r.hashHeader()));
            b.put("consistent", r.rule() == Rule.CONSISTENT_HASH);
            // idle connections to endpoints serve any client's next request, as the built-in engine's pool does
            b.put("http", r.protocol() == Protocol.HTTP);
            List<Map<String, Object>> servers = new ArrayList<>();
            for (Slot s : slots.getOrDefault(name, List.of())) {
                Map<String, Object> server = new LinkedHashMap<>();
                server.put("name", s.name());
                server.put("address", s.ip().orElse("127.0.0.1"));
                server.put("port", r.backendPort());
                // a draining endpoint takes no new requests: weight 0 until the runtime API says drain
                server.put("weight", s.draining() ? 0 : s.weight());
                server.put("maintenance", s.ip().isEmpty());
                server.put(
                        "slowStartMs",
                        r.slowStart().isZero() ? false : r.slowStart().toMillis());
                servers.add(server);
            }
            b.put("servers", servers);
            backends.put(name, b);
        }
        model.put("backends", List.copyOf(backends.values()));
        return template.execute(model);
    }

    /** The services {@code routes} route, each once. */
    static List<ServiceKey> services(List<Route> routes) {
        return routes.stream().map(Route::service).distinct().toList();
    }
}
