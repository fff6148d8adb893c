package io.wharf.server.api;

import com.fasterxml.jackson.core.type.TypeReference;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.wharf.client.wire.Applied;
import io.wharf.client.wire.Registration;
import io.wharf.core.InvalidInputException;
import io.wharf.core.NotFoundException;
import io.wharf.core.cluster.ContainerRecord;
import io.wharf.core.registry.ServiceKey;
import io.wharf.core.spec.ImageRef;
import io.wharf.core.spec.ServiceSpec;
import io.wharf.core.spec.SpecParser;
import io.wharf.server.auth.Principal;
import io.wharf.server.cluster.Cluster;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;

/** Images, specs, the container table and load-balancer reports. */
final class ClusterRoutes {
    private final Cluster cluster;
    private final ClusterViews views;
    private final Access access;
    private final IntSupplier apiPort;

    ClusterRoutes(Cluster cluster, ClusterViews views, Access access, IntSupplier apiPort) {
        this.cluster = cluster;
        this.views = views;
        this.access = access;
        this.apiPort = apiPort;
    }

    void register(RoutesConfig routes) {
        routes.get("/v1/images", ctx -> {
            access.readAll(ctx);
            Json.respond(
                    ctx,
                    Map.of(
                            "images",
                            cluster.images().list().stream()
                                    .map(ClusterViews::image)
                                    .toList()));
        });
        routes.put("/v1/images/{name}/{version}", this::pushImage);
        routes.get("/v1/images/{name}/{version}", ctx -> {
            access.readAll(ctx);
            Json.respond(ctx, ClusterViews.image(cluster.images().get(imageRef(ctx))));
        });
        routes.get("/v1/images/{name}/{version}/package", this::downloadPackage);
        routes.post("/v1/apply", this::apply);
        routes.get("/v1/namespaces/{ns}/services/{svc}/spec", this::getSpec);
        routes.get("/v1/namespaces/{ns}/services/{svc}/load", this::load);
        routes.get("/v1/containers", this::containers);
        routes.get("/v1/containers/{id}", ctx -> {
            access.readSome(ctx);
            String id = ctx.pathParam("id");
            ContainerRecord c = cluster.containers()
                    .get(id)
                    .filter(found -> access.mayRead(ctx, found.service().namespace()))
                    .orElseThrow(() -> new NotFoundException("container", id));
            Json.respond(ctx, views.container(c));
        });
        routes.put("/v1/containers/{id}/registration", this::setRegistration);
        routes.put("/v1/containers/{id}/image", this::setImage);
        routes.get("/v1/volumes", this::volumes);
        routes.delete("/v1/namespaces/{ns}/services/{svc}/volumes/{ordinal}", this::deleteVolumes);
    }

    /** The namespace a request may read everything of, or empty if it may read all of them. */
    private Optional<String> readable(Context ctx) {
        Principal p = access.who(ctx);
        return switch (p) {
            case Principal.Reader r when !r.namespace().isEmpty() -> Optional.of(r.namespace());
            case Principal.NamespaceWriter w -> Optional.of(w.namespace());
            default -> {
                access.readAll(ctx);
                yield Optional.empty();
            }
        };
    }

    /** Every volume the request may read (claim 002.1). */
    private void volumes(Context ctx) {
        Optional<String> only = readable(ctx);
        Json.respond(
                ctx,
                Map.of(
                        "volumes",
                        cluster.volumes().all().stream()
                                .filter(v -> only.map(
                                                ns -> ns.equals(v.service().namespace()))
                                        .orElse(true))
                                .map(views::volume)
                                .toList()));
    }

    private void deleteVolumes(Context ctx) {
        access.admin(ctx);
        ServiceKey key = new ServiceKey(ctx.pathParam("ns"), ctx.pathParam("svc"));
        String raw = ctx.pathParam("ordinal");
        if (!raw.matches("\\d{1,9}")) {
            throw InvalidInputException.of("ordinal", "'" + raw + "' (expected: a container's number, e.g. 2)");
        }
        var deleted = cluster.deleteVolumes(key, Integer.parseInt(raw), Optional.ofNullable(ctx.queryParam("name")));
        Json.respond(
                ctx.status(202),
                Map.of("volumes", deleted.stream().map(views::volume).toList()));
    }

    /** Every container the request may read: all of them, or those of its token's namespace. */
    private void containers(Context ctx) {
        Optional<String> only = readable(ctx);
        var traffic = views.traffic();
        Json.respond(
                ctx,
                Map.of(
                        "containers",
                        cluster.containers().all().stream()
                                .filter(c -> only.map(
                                                ns -> ns.equals(c.service().namespace()))
                                        .orElse(true))
                                .map(c -> views.container(c, traffic))
                                .toList(),
                        "waiting",
                        cluster.specs().all().stream()
                                .map(ServiceSpec::key)
                                .filter(k ->
                                        only.map(ns -> ns.equals(k.namespace())).orElse(true))
                                .flatMap(k -> cluster.placement().pending(k).stream()
                                        .map(why -> Map.of(
                                                "namespace", k.namespace(), "service", k.service(), "reason", why)))
                                .toList()));
    }

    private void setImage(Context ctx) {
        access.admin(ctx);
        var req = Json.read(ctx.bodyAsBytes(), new TypeReference<Map<String, Object>>() {}, Map.of());
        Object version = req.get("version");
        if (!(version instanceof String v) || v.isBlank()) {
            throw InvalidInputException.of(
                    "version", "'" + version + "' (expected: a version of the container's image)");
        }
        Json.respond(ctx, views.container(cluster.setImage(ctx.pathParam("id"), v)));
    }

    private void setRegistration(Context ctx) {
        access.admin(ctx);
        var req = Json.read(ctx.bodyAsBytes(), new TypeReference<Map<String, Object>>() {}, Map.of());
        Registration registration = registration(req.get("registration"));
        Json.respond(ctx, views.container(cluster.setRegistration(ctx.pathParam("id"), registration)));
    }

    /** A container's registration as a request names it; the API's and the console's way alike. */
    static Registration registration(Object value) {
        try {
            return Registration.valueOf(String.valueOf(value));
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.of("registration", "'" + value + "' (expected: ACTIVE or PAUSED)");
        }
    }

    private static ImageRef imageRef(Context ctx) {
        return ImageRef.parse("image", ctx.pathParam("name") + ":" + ctx.pathParam("version"));
    }

    private void pushImage(Context ctx) throws Exception {
        access.admin(ctx);
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
        access.downloadPackage(ctx);
        var path = cluster.images().packagePath(imageRef(ctx));
        ctx.contentType("application/octet-stream");
        ctx.header("X-Wharf-Sha256", path.getFileName().toString());
        ctx.res().setContentLengthLong(Files.size(path));
        Files.copy(path, ctx.res().getOutputStream());
    }

    private void apply(Context ctx) {
        access.admin(ctx);
        Map<String, Object> doc = Json.read(ctx.bodyAsBytes(), new TypeReference<Map<String, Object>>() {}, Map.of());
        Json.respond(ctx, apply(doc, Params.flag(ctx, "dryRun")));
    }

    /** Checks a spec document and, unless {@code dryRun}, applies it; the API's and the console's way alike. */
    Applied apply(Map<String, Object> doc, boolean dryRun) {
        ServiceSpec spec = SpecParser.parse(doc);
        spec.ports().forEach(p -> p.external().ifPresent(ext -> {
            if (ext == apiPort.getAsInt()) {
                throw InvalidInputException.of(
                        "ports[" + spec.ports().indexOf(p) + "].external",
                        ext + " is the server's own API port (expected: another port)");
            }
        }));
        if (dryRun) {
            cluster.check(spec);
            return new Applied(0, SpecParser.toDocument(spec), true);
        }
        long generation = cluster.apply(spec);
        return new Applied(generation, SpecParser.toDocument(spec), false);
    }

    private void getSpec(Context ctx) {
        var key = Params.service(ctx);
        access.read(ctx, key.namespace());
        ServiceSpec spec = cluster.specs().get(key).orElseThrow(() -> new NotFoundException("spec", key.toString()));
        Json.respond(ctx, SpecParser.toDocument(spec));
    }

    /** What every host's load balancer reports of a service: the revision applied, requests in flight. */
    private void load(Context ctx) {
        ServiceKey key = Params.service(ctx);
        access.read(ctx, key.namespace());
        Json.respond(ctx, views.load(key));
    }
}
