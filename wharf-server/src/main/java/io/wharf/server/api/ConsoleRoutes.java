package io.wharf.server.api;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import io.javalin.http.sse.SseClient;
import io.wharf.client.wire.Registration;
import io.wharf.client.wire.ReleaseRequest;
import io.wharf.core.ForbiddenException;
import io.wharf.core.InvalidInputException;
import io.wharf.core.NotFoundException;
import io.wharf.core.UnauthorizedException;
import io.wharf.core.Violation;
import io.wharf.core.WharfException;
import io.wharf.core.registry.EndpointId;
import io.wharf.core.registry.ServiceKey;
import io.wharf.core.spec.SpecParser;
import io.wharf.server.auth.Principal;
import io.wharf.server.auth.Tokens;
import io.wharf.server.cluster.Cluster;
import io.wharf.server.console.TrafficHistory;
import io.wharf.server.registry.Registry;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console under {@code /ui}: server-rendered pages (jmustache templates) made live by htmx and its SSE
 * extension, with charts drawn by uPlot; all three are served from this jar (WebJars), nothing from elsewhere.
 *
 * <p>Signing in checks a token like the API does and keeps it in an HttpOnly, SameSite=Strict cookie limited to
 * {@code /ui}; every request is authenticated again from it, so a revoked token stops working in the console too.
 * Actions are POSTs that must carry htmx's {@code HX-Request} header (which a form on another site cannot send)
 * and go through the same checks and code as the API's routes: the admin token alone may act.
 *
 * <p>Live pages: each open page holds one event stream. The server renders the page's content again for its
 * viewer, and sends it only when it changed, at once after a change that pages show (a spec applied, an operation
 * saved, looked for every {@link #CHANGE_CHECK}), after the registry's revision moved (at most every {@link
 * #REGISTRY_EVERY}), and at least every {@link #LIVE_EVERY} for the rest (hosts' and containers' reports). The load balancers' figures for the charts are
 * sampled every {@link TrafficHistory#STEP} into a {@link TrafficHistory}.
 */
final class ConsoleRoutes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConsoleRoutes.class);
    static final String COOKIE = "wharf_console";
    static final Duration LIVE_EVERY = Duration.ofMillis(1000);
    /** How often the server looks whether something that pages show has changed. */
    static final Duration CHANGE_CHECK = Duration.ofMillis(100);
    /**
     * The most often pages are rendered again for registry changes alone: a busy registry changes all the time,
     * and ten pages rendered every 250 ms took about a seventh of the discovery queries' rate (docs/benchmarks.md).
     */
    static final Duration REGISTRY_EVERY = Duration.ofMillis(500);
    /** The longest a live stream goes without a byte (the server closes connections idle for 30 s). */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private static final String SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /** Where the pages find htmx, its SSE extension and uPlot: their WebJars, at the versions on the class path. */
    private static final Map<String, String> ASSETS = Map.of(
            "htmx", webjar("htmx.org", "dist/htmx.min.js"),
            "sse", webjar("htmx-ext-sse", "sse.js"),
            "uplot", webjar("uplot", "dist/uPlot.iife.min.js"),
            "uplotCss", webjar("uplot", "dist/uPlot.min.css"));

    private final ConsolePages pages;
    private final Tokens tokens;
    private final Access access;
    private final ClusterRoutes clusterRoutes;
    private final ReleaseRoutes releaseRoutes;
    private final Cluster cluster;
    private final Registry registry;
    private final TrafficHistory traffic = new TrafficHistory();
    private final Map<String, Template> templates = new ConcurrentHashMap<>();
    private final Mustache.Compiler compiler;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("wharf-console").daemon().factory());
    private final Set<Live> live = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean changed = new AtomicBoolean();
    /** The registry's revision and the time of the last refresh; the ticker's alone. */
    private long refreshedRevision = -1;

    private long refreshedAt = System.nanoTime();
    private final ExecutorService writers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("wharf-console-write-", 0).factory());
    private final Clock clock;

    /** One open page's event stream: what it shows, to whom, and what it was sent last. */
    private static final class Live {
        final SseClient client;
        final PageRef page;
        final String token;
        String last = "";
        long sentAt = System.nanoTime();
        final AtomicBoolean writing = new AtomicBoolean();

        Live(SseClient client, PageRef page, String token) {
            this.client = client;
            this.page = page;
            this.token = token;
        }
    }

    /** A page: its kind and up to two parameters (a service's namespace and name, a release's id, a query). */
    record PageRef(String kind, String a, String b) {
        static final Set<String> KINDS =
                Set.of("overview", "service", "operations", "release", "scale-out", "hosts", "registry");

        String liveUrl() {
            return "/ui/live?page=" + kind + "&a=" + encode(a) + "&b=" + encode(b);
        }

        private static String encode(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8);
        }
    }

    ConsoleRoutes(
            ApiServer.Parts p,
            Access access,
            ClusterViews views,
            ClusterRoutes clusterRoutes,
            ReleaseRoutes releaseRoutes) {
        this.pages = new ConsolePages(p, views, traffic);
        this.tokens = p.tokens();
        this.access = access;
        this.clusterRoutes = clusterRoutes;
        this.releaseRoutes = releaseRoutes;
        this.cluster = p.cluster();
        this.registry = p.registry();
        this.clock = p.clock();
        this.compiler = Mustache.compiler().defaultValue("").withLoader(this::source);
        long step = TrafficHistory.STEP.toMillis();
        ticker.scheduleWithFixedDelay(this::sample, step, step, TimeUnit.MILLISECONDS);
        long check = CHANGE_CHECK.toMillis();
        ticker.scheduleWithFixedDelay(this::refreshIfDue, check, check, TimeUnit.MILLISECONDS);
        cluster.onApply(this::changed);
        p.engine().onSaved(p.releases(), (record, state) -> changed());
        p.engine().onSaved(p.scaleOuts(), (record, state) -> changed());
        p.engine().onSaved(p.scaleIns(), (record, state) -> changed());
        p.engine().onSaved(p.migrationKind(), (record, state) -> changed());
    }

    /** Something pages show changed: they are rendered again at the next check. */
    private void changed() {
        changed.set(true);
    }

    private void refreshIfDue() {
        long revision = registry.revision();
        long now = System.nanoTime();
        long since = now - refreshedAt;
        boolean due = changed.getAndSet(false)
                || (revision != refreshedRevision && since >= REGISTRY_EVERY.toNanos())
                || since >= LIVE_EVERY.toNanos();
        if (!due) return;
        refreshedRevision = revision;
        refreshedAt = now;
        refresh();
    }

    void register(RoutesConfig routes) {
        routes.get("/ui", ctx -> page(ctx, new PageRef("overview", "", ""), "Overview"));
        routes.get("/ui/signin", ctx -> signInForm(ctx, 200, ""));
        routes.post("/ui/signin", this::signIn);
        routes.post("/ui/signout", this::signOut);
        routes.get("/ui/services/{ns}/{svc}", ctx -> {
            ServiceKey key = Params.service(ctx);
            page(ctx, new PageRef("service", key.namespace(), key.service()), key.toString());
        });
        routes.get("/ui/operations", ctx -> page(ctx, new PageRef("operations", "", ""), "Operations"));
        routes.get("/ui/releases/{id}", ctx -> {
            String id = ctx.pathParam("id");
            page(ctx, new PageRef("release", id, ""), "Release " + id);
        });
        routes.get("/ui/scale-outs/{id}", ctx -> {
            String id = ctx.pathParam("id");
            page(ctx, new PageRef("scale-out", id, ""), "Scale-out " + id);
        });
        routes.get("/ui/hosts", ctx -> page(ctx, new PageRef("hosts", "", ""), "Hosts"));
        routes.get("/ui/registry", ctx -> {
            String q = Optional.ofNullable(ctx.queryParam("q")).orElse("");
            page(ctx, new PageRef("registry", q, ""), "Registry");
        });
        routes.sse("/ui/live", this::live);
        routes.post("/ui/services/{ns}/{svc}/scale", this::scale);
        routes.post("/ui/services/{ns}/{svc}/release", this::release);
        routes.post("/ui/containers/{id}/registration", this::registration);
        routes.post("/ui/services/{ns}/{svc}/endpoints/{ipPort}/deregister", this::deregister);
    }

    // ---- signing in

    /** The principal of the console's cookie, authenticated now; empty when there is none or it no longer works. */
    private Optional<Principal> signedIn(Context ctx) {
        String token = ctx.cookie(COOKIE);
        if (token == null || token.isEmpty()) return Optional.empty();
        try {
            Principal p = viewerOf(token);
            access.actAs(ctx, p);
            return Optional.of(p);
        } catch (WharfException refused) {
            return Optional.empty();
        }
    }

    /** Who {@code token} is, if it may use the console: the admin, a read token or a namespace token. */
    private Principal viewerOf(String token) {
        Principal p = tokens.authenticate(Optional.of(token));
        return switch (p) {
            case Principal.Admin a -> p;
            case Principal.Reader r -> p;
            case Principal.NamespaceWriter w -> p;
            default ->
                throw new ForbiddenException(
                        p.describe() + " may not use the console (an admin, read or namespace token may)");
        };
    }

    private void signInForm(Context ctx, int status, String error) {
        securityHeaders(ctx);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", error);
        m.put("hasError", !error.isEmpty());
        m.put("next", safeNext(ctx.queryParam("next")));
        ctx.status(status).contentType("text/html; charset=utf-8").result(render("signin", m));
    }

    private void signIn(Context ctx) {
        String token = Optional.ofNullable(ctx.formParam("token")).orElse("").strip();
        String next = safeNext(ctx.formParam("next"));
        if (token.isEmpty()) {
            signInForm(ctx, 400, "token: missing (expected: the admin token or one made by 'wharf token create')");
            return;
        }
        Principal p;
        try {
            p = viewerOf(token);
        } catch (UnauthorizedException e) {
            signInForm(ctx, 401, e.getMessage());
            return;
        } catch (ForbiddenException e) {
            signInForm(ctx, 403, e.getMessage());
            return;
        }
        log.info("console: signed in as {}", p.describe());
        ctx.cookie(new Cookie(COOKIE, token, "/ui", -1, "https".equals(ctx.scheme()), true, null, SameSite.STRICT));
        ctx.redirect(next, io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private void signOut(Context ctx) {
        ctx.cookie(new Cookie(COOKIE, "", "/ui", 0, "https".equals(ctx.scheme()), true, null, SameSite.STRICT));
        ctx.redirect("/ui/signin", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    /** Only a path of the console itself, so that sign-in cannot send anyone elsewhere. */
    private static String safeNext(String next) {
        if (next == null || !next.startsWith("/ui") || next.startsWith("//") || next.contains("\\")) return "/ui";
        return next;
    }

    // ---- pages

    private void page(Context ctx, PageRef page, String title) {
        Optional<Principal> who = signedIn(ctx);
        if (who.isEmpty()) {
            String next = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
            ctx.redirect(
                    "/ui/signin?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8),
                    io.javalin.http.HttpStatus.SEE_OTHER);
            return;
        }
        var viewer = new ConsolePages.Viewer(who.get());
        securityHeaders(ctx);
        String content;
        int status = 200;
        try {
            content = fragment(page, viewer);
        } catch (NotFoundException e) {
            status = 404;
            content = render("notfound", Map.of("message", e.getMessage()));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", title);
        m.put("who", who.get().describe());
        m.put("admin", viewer.admin());
        m.put("readsAll", viewer.readsAll());
        m.put("live", page.liveUrl());
        m.put("content", content);
        m.put("assets", ASSETS);
        m.put("nav-" + page.kind(), true);
        m.put("actions", status == 200 ? actions(page, viewer) : "");
        ctx.status(status).contentType("text/html; charset=utf-8").result(render("layout", m));
    }

    /** What a page shows that is kept live. */
    private String fragment(PageRef page, ConsolePages.Viewer v) {
        Map<String, Object> model =
                switch (page.kind()) {
                    case "overview" -> pages.overview(v);
                    case "service" -> pages.service(v, new ServiceKey(page.a(), page.b()));
                    case "operations" -> pages.operationsPage(v);
                    case "release" -> pages.release(v, page.a());
                    case "scale-out" -> pages.scaleOut(v, page.a());
                    case "hosts" -> pages.hostsPage(v);
                    case "registry" -> pages.registryPage(v, page.a());
                    default -> throw new NotFoundException("page", page.kind());
                };
        return render("page-" + page.kind(), model);
    }

    /** What a page offers to do, outside its live part so that a refresh never loses what is being typed. */
    private String actions(PageRef page, ConsolePages.Viewer v) {
        return switch (page.kind()) {
            case "service" -> {
                ServiceKey key = new ServiceKey(page.a(), page.b());
                var spec = cluster.specs().get(key).orElseThrow();
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("admin", v.admin());
                m.put("base", "/ui/services/" + key.namespace() + "/" + key.service());
                m.put("replicas", spec.replicas());
                m.put("versions", pages.releasable(key));
                yield render("actions-service", m);
            }
            case "registry" -> render("actions-registry", Map.of("query", page.a()));
            default -> "";
        };
    }

    private static void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
    }

    // ---- live

    private void live(SseClient client) {
        Context ctx = client.ctx();
        String kind = Optional.ofNullable(ctx.queryParam("page")).orElse("");
        PageRef page = new PageRef(
                kind,
                Optional.ofNullable(ctx.queryParam("a")).orElse(""),
                Optional.ofNullable(ctx.queryParam("b")).orElse(""));
        String token = ctx.cookie(COOKIE);
        if (!PageRef.KINDS.contains(kind) || token == null || signedIn(ctx).isEmpty()) {
            client.sendEvent("signedout", "<p class=\"bad\">Not signed in: <a href=\"/ui/signin\">sign in</a>.</p>");
            client.close();
            return;
        }
        Live l = new Live(client, page, token);
        client.keepAlive();
        client.onClose(() -> live.remove(l));
        live.add(l);
        ticker.execute(() -> push(l, new HashMap<>()));
    }

    /** One tick: every open page, each page rendered once for all who look at it with the same rights. */
    private void refresh() {
        Map<Rendering, String> rendered = new HashMap<>();
        for (Live l : live) push(l, rendered);
    }

    /** A page as one viewer sees it: the same for every stream of that page and principal. */
    private record Rendering(PageRef page, Principal viewer) {}

    /**
     * Renders {@code l}'s page on the ticker and, when it changed, hands it to a writer of its own: a browser that
     * stops reading holds up its own stream, never the ticker or the other pages. While a write is under way the
     * page is not rendered again; the next tick after it sends the newest content.
     */
    private void push(Live l, Map<Rendering, String> rendered) {
        if (l.client.terminated()) {
            live.remove(l);
            return;
        }
        if (l.writing.get()) return;
        String html;
        boolean last = false;
        try {
            Principal viewer = viewerOf(l.token);
            html = rendered.computeIfAbsent(
                    new Rendering(l.page, viewer), r -> fragment(r.page(), new ConsolePages.Viewer(r.viewer())));
        } catch (UnauthorizedException | ForbiddenException e) {
            html = render("notfound", Map.of("message", "Signed out: " + e.getMessage()));
            last = true;
        } catch (NotFoundException e) {
            html = render("notfound", Map.of("message", e.getMessage()));
        } catch (RuntimeException e) {
            log.warn("console: could not render {}", l.page, e);
            return;
        }
        boolean changed = !html.equals(l.last);
        // a comment now and then, so that a page that does not change is not taken for an idle connection
        if (!changed && System.nanoTime() - l.sentAt < KEEP_ALIVE.toNanos()) return;
        l.last = html;
        l.sentAt = System.nanoTime();
        l.writing.set(true);
        String content = html;
        boolean close = last;
        writers.execute(() -> {
            try {
                if (changed) {
                    l.client.sendEvent("page", content);
                } else {
                    l.client.sendComment("still here");
                }
                if (close) {
                    l.client.close();
                    live.remove(l);
                }
            } catch (RuntimeException gone) {
                live.remove(l);
            } finally {
                l.writing.set(false);
            }
        });
    }

    private void sample() {
        try {
            List<TrafficHistory.Report> reports = new ArrayList<>();
            for (var h : cluster.hosts().all()) {
                var lb = h.loadBalancer();
                var seen = h.lastSeen();
                if (lb.isEmpty() || seen.isEmpty()) continue;
                for (var s : lb.get().services()) {
                    reports.add(new TrafficHistory.Report(
                            h.record().id(), new ServiceKey(s.namespace(), s.service()), seen.get(), s.served()));
                }
            }
            traffic.sample(reports, clock.instant());
        } catch (RuntimeException e) {
            log.warn("console: could not sample the load balancers' reports", e);
        }
    }

    // ---- actions

    /**
     * Runs an action for a signed-in console: it must come from the console's own scripts, and the admin token
     * alone may act. Answers with a short HTML message, the API's refusal or the reason the input was wrong.
     */
    private void act(Context ctx, Action action) {
        ctx.contentType("text/html; charset=utf-8");
        try {
            if (!"true".equals(ctx.header("HX-Request"))) {
                throw new ForbiddenException("console actions come from the console's pages (HX-Request missing)");
            }
            if (signedIn(ctx).isEmpty()) throw new UnauthorizedException("not signed in to the console");
            access.admin(ctx);
            String done = action.run();
            ctx.result(render("result", Map.of("ok", true, "message", done)));
        } catch (WharfException e) {
            ctx.status(status(e)).result(render("result", Map.of("ok", false, "message", message(e))));
        }
    }

    @FunctionalInterface
    private interface Action {
        String run();
    }

    private static int status(WharfException e) {
        return switch (e) {
            case InvalidInputException i -> 422;
            case NotFoundException n -> 404;
            case UnauthorizedException u -> 401;
            case ForbiddenException f -> 403;
            default -> 409;
        };
    }

    private static String message(WharfException e) {
        if (e instanceof InvalidInputException i) {
            return String.join(
                    "; ", i.violations().stream().map(Violation::toString).toList());
        }
        return e.getMessage();
    }

    private void scale(Context ctx) {
        act(ctx, () -> {
            ServiceKey key = Params.service(ctx);
            var spec =
                    cluster.specs().get(key).orElseThrow(() -> new NotFoundException("service spec", key.toString()));
            String raw =
                    Optional.ofNullable(ctx.formParam("replicas")).orElse("").strip();
            Map<String, Object> doc = new LinkedHashMap<>(SpecParser.toDocument(spec));
            doc.put("replicas", raw.matches("-?\\d{1,9}") ? (Object) Integer.parseInt(raw) : raw);
            clusterRoutes.apply(doc, false);
            return key + " scaled to " + raw + " replicas";
        });
    }

    private void release(Context ctx) {
        act(ctx, () -> {
            ServiceKey key = Params.service(ctx);
            Map<String, Object> req = new LinkedHashMap<>();
            req.put("namespace", key.namespace());
            req.put("service", key.service());
            req.put("version", Optional.ofNullable(ctx.formParam("version")).orElse(""));
            Optional.ofNullable(ctx.formParam("mode")).filter(s -> !s.isBlank()).ifPresent(m -> req.put("mode", m));
            Optional.ofNullable(ctx.formParam("parallelism"))
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .ifPresent(n -> req.put("parallelism", n.matches("-?\\d{1,9}") ? (Object) Integer.parseInt(n) : n));
            byte[] body = Json.write(req);
            var started = releaseRoutes.start(Json.read(body, ReleaseRequest.class, null));
            ctx.header("HX-Redirect", "/ui/releases/" + started.id());
            return "release " + started.id() + " started";
        });
    }

    private void registration(Context ctx) {
        act(ctx, () -> {
            Registration r = ClusterRoutes.registration(ctx.formParam("registration"));
            String id = ctx.pathParam("id");
            cluster.setRegistration(id, r);
            return "registration of " + id + " " + (r == Registration.PAUSED ? "paused" : "resumed");
        });
    }

    private void deregister(Context ctx) {
        act(ctx, () -> {
            ServiceKey key = Params.service(ctx);
            EndpointId endpoint = Params.endpoint(ctx);
            access.writeEndpoint(ctx, key, endpoint);
            long revision = registry.deregister(key, endpoint);
            return endpoint + " deregistered from " + key + " at revision " + revision;
        });
    }

    // ---- templates

    private static String webjar(String name, String file) {
        String props = "/META-INF/maven/org.webjars.npm/" + name + "/pom.properties";
        try (var in = ConsoleRoutes.class.getResourceAsStream(props)) {
            if (in == null) throw new IllegalStateException("the WebJar " + name + " is not on the class path");
            var p = new java.util.Properties();
            p.load(in);
            return "/webjars/" + name + "/" + p.getProperty("version") + "/" + file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String render(String name, Object model) {
        return templates.computeIfAbsent(name, n -> compiler.compile(source(n))).execute(model);
    }

    private Reader source(String name) {
        var in = ConsoleRoutes.class.getResourceAsStream("/console/templates/" + name + ".mustache");
        if (in == null) throw new UncheckedIOException(new IOException("no console template " + name));
        return new InputStreamReader(in, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        writers.shutdownNow();
        for (Live l : live) l.client.close();
        live.clear();
    }
}
