package io.wharf.server.api;

import com.fasterxml.jackson.core.type.TypeReference;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.wharf.client.wire.Applied;
import io.wharf.client.wire.Heartbeat;
import io.wharf.client.wire.HostJoin;
import io.wharf.client.wire.Registration;
import io.wharf.client.wire.TokenInfo;
import io.wharf.core.InvalidInputException;
import io.wharf.core.NotFoundException;
import io.wharf.core.cluster.ContainerRecord;
import io.wharf.core.registry.ServiceKey;
import io.wharf.core.spec.ImageRef;
import io.wharf.core.spec.ServiceSpec;
import io.wharf.core.spec.SpecParser;
import io.wharf.server.cluster.Cluster;
import io.wharf.server.cluster.JoinTokens;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/** Images, specs, join tokens, hosts and their assignments, and the container table. */
final class ClusterRoutes {
    private final Cluster cluster;
    private final ClusterViews views;
    private final JoinTokens joinTokens;
    private final AdminAuth auth;
    private final Executor responder;

    ClusterRoutes(Cluster cluster, ClusterViews views, JoinTokens joinTokens, AdminAuth auth, Executor responder) {
        this.cluster = cluster;
        this.views = views;
        this.joinTokens = joinTokens;
        this.auth = auth;
        this.responder = responder;
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/tokens", auth.guard(this::createToken));
        routes.get(
                "/v1/images",
                ctx -> Json.respond(
                        ctx,
                        Map.of(
                                "images",
                                cluster.images().list().stream()
                                        .map(ClusterViews::image)
                                        .toList())));
        routes.put("/v1/images/{name}/{version}", auth.guard(this::pushImage));
        routes.get(
                "/v1/images/{name}/{version}",
                ctx -> Json.respond(ctx, ClusterViews.image(cluster.images().get(imageRef(ctx)))));
        routes.get("/v1/images/{name}/{version}/package", this::downloadPackage);
        routes.post("/v1/apply", auth.guard(this::apply));
        routes.get("/v1/namespaces/{ns}/services/{svc}/spec", this::getSpec);
        routes.post("/v1/hosts/join", auth.guardAgent(this::join));
        routes.put("/v1/hosts/{id}/heartbeat", auth.guardAgent(this::heartbeat));
        routes.get("/v1/hosts/{id}/assignments", auth.guardAgent(this::assignments));
        routes.get("/v1/namespaces/{ns}/services/{svc}/load", this::load);
        routes.get(
                "/v1/hosts",
                ctx -> Json.respond(
                        ctx,
                        Map.of(
                                "hosts",
                                cluster.hosts().all().stream().map(views::host).toList())));
        routes.get(
                "/v1/containers",
                ctx -> Json.respond(
                        ctx,
                        Map.of(
                                "containers",
                                cluster.containers().all().stream()
                                        .map(views::container)
                                        .toList())));
        routes.get("/v1/containers/{id}", ctx -> Json.respond(ctx, views.container(container(ctx.pathParam("id")))));
        routes.put("/v1/containers/{id}/registration", auth.guard(this::setRegistration));
        routes.put("/v1/containers/{id}/image", auth.guard(this::setImage));
    }

    private ContainerRecord container(String id) {
        return cluster.containers().get(id).orElseThrow(() -> new NotFoundException("container", id));
    }

    private void setImage(Context ctx) {
        var req = Json.read(ctx.bodyAsBytes(), Map.class, Map.of());
        Object version = req.get("version");
        if (!(version instanceof String v) || v.isBlank()) {
            throw InvalidInputException.of(
                    "version", "'" + version + "' (expected: a version of the container's image)");
        }
        Json.respond(ctx, views.container(cluster.setImage(ctx.pathParam("id"), v)));
    }

    private void setRegistration(Context ctx) {
        var req = Json.read(ctx.bodyAsBytes(), Map.class, Map.of());
        Object value = req.get("registration");
        Registration registration;
        try {
            registration = Registration.valueOf(String.valueOf(value));
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.of("registration", "'" + value + "' (expected: ACTIVE or PAUSED)");
        }
        Json.respond(ctx, views.container(cluster.setRegistration(ctx.pathParam("id"), registration)));
    }

    private void createToken(Context ctx) {
        var req = Json.read(ctx.bodyAsBytes(), Map.class, Map.of("kind", "join"));
        if (!"join".equals(req.get("kind"))) {
            throw InvalidInputException.of("kind", "'" + req.get("kind") + "' (expected: join)");
        }
        Json.respond(ctx.status(201), new TokenInfo("join", joinTokens.create()));
    }

    private static ImageRef imageRef(Context ctx) {
        return ImageRef.parse("image", ctx.pathParam("name") + ":" + ctx.pathParam("version"));
    }

    private void pushImage(Context ctx) throws Exception {
        ImageRef ref = imageRef(ctx);
        String filename = Optional.ofNullable(ctx.queryParam("filename"))
                .orElseThrow(() ->
                        InvalidInputException.of("filename", "missing (expected: ?filename=app.jar or app.tar.gz)"));
        try (InputStream body = ctx.req().getInputStream()) {
            var image = cluster.images().push(ref, filename, Optional.ofNullable(ctx.queryParam("cmd")), body);
            Json.respond(ctx.status(201), ClusterViews.image(image));
        }
    }

    private void downloadPackage(Context ctx) throws Exception {
        var path = cluster.images().packagePath(imageRef(ctx));
        ctx.contentType("application/octet-stream");
        ctx.header("X-Wharf-Sha256", path.getFileName().toString());
        ctx.res().setContentLengthLong(Files.size(path));
        Files.copy(path, ctx.res().getOutputStream());
    }

    private void apply(Context ctx) {
        Map<String, Object> doc = Json.read(ctx.bodyAsBytes(), new TypeReference<Map<String, Object>>() {}, Map.of());
        ServiceSpec spec = SpecParser.parse(doc);
        long generation = cluster.apply(spec);
        Json.respond(ctx, new Applied(generation, SpecParser.toDocument(spec)));
    }

    private void getSpec(Context ctx) {
        var key = Params.service(ctx);
        ServiceSpec spec = cluster.specs().get(key).orElseThrow(() -> new NotFoundException("spec", key.toString()));
        Json.respond(ctx, SpecParser.toDocument(spec));
    }

    private void join(Context ctx) {
        var join = Json.read(ctx.bodyAsBytes(), HostJoin.class, null);
        if (join == null || join.name().isEmpty() || join.ipPool().isEmpty()) {
            throw InvalidInputException.of("body", "expected: {name, address, ipPool, cpuMillis, memoryMb}");
        }
        Json.respond(ctx, views.host(cluster.join(join)));
    }

    private void heartbeat(Context ctx) {
        var beat = Json.read(ctx.bodyAsBytes(), Heartbeat.class, null);
        if (beat == null) {
            throw InvalidInputException.of("body", "expected: {usage, containers}");
        }
        Json.respond(ctx, views.host(cluster.heartbeat(ctx.pathParam("id"), beat)));
    }

    /** What every host's load balancer reports of a service: the revision applied, requests in flight. */
    private void load(Context ctx) {
        ServiceKey key = new ServiceKey(ctx.pathParam("ns"), ctx.pathParam("svc"));
        Json.respond(ctx, views.load(key));
    }

    private void assignments(Context ctx) {
        String host = ctx.pathParam("id");
        Optional<Long> index = Params.revision(ctx, "index");
        if (index.isEmpty()) {
            Json.respond(ctx, views.assignments(cluster.assignments(host)));
            return;
        }
        Duration wait = WatchRoutes.waitParam(ctx);
        var change = cluster.assignmentsAfter(host, index.get());
        ctx.future(() -> change.completeOnTimeout(-1L, wait.toMillis(), TimeUnit.MILLISECONDS)
                .thenAcceptAsync(r -> Json.respond(ctx, views.assignments(cluster.assignments(host))), responder));
    }
}
