package io.wharf.client;

import static io.wharf.client.Transport.enc;

import com.fasterxml.jackson.core.type.TypeReference;
import io.wharf.client.wire.Applied;
import io.wharf.client.wire.ContainerInfo;
import io.wharf.client.wire.CreateToken;
import io.wharf.client.wire.Health;
import io.wharf.client.wire.ImageInfo;
import io.wharf.client.wire.Registration;
import io.wharf.client.wire.ServiceLoadInfo;
import io.wharf.client.wire.TokenInfo;
import io.wharf.client.wire.VolumeInfo;
import java.io.FileNotFoundException;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Images, service specs, containers, load-balancer reports and tokens. */
public final class ClusterApi {
    private static final TypeReference<Map<String, Object>> DOCUMENT = new TypeReference<>() {};

    private final Transport t;

    ClusterApi(Transport t) {
        this.t = t;
    }

    /** The server's health. */
    public Health health() {
        return t.call("GET", "/v1/health", null, Health.class);
    }

    /** Every image. */
    public List<ImageInfo> images() {
        return t.list("/v1/images", "images", ImageInfo.class);
    }

    /** One image. */
    public ImageInfo image(String name, String version) {
        return t.call("GET", "/v1/images/" + enc(name) + "/" + enc(version), null, ImageInfo.class);
    }

    /** Pushes an image: its package and, optionally, the command that starts it. */
    public ImageInfo pushImage(String name, String version, String filename, Optional<String> cmd, Path file) {
        String path = "/v1/images/" + enc(name) + "/" + enc(version) + "?filename=" + enc(filename)
                + cmd.map(c -> "&cmd=" + enc(c)).orElse("");
        HttpRequest.BodyPublisher body;
        try {
            body = HttpRequest.BodyPublishers.ofFile(file);
        } catch (FileNotFoundException e) {
            throw new ClientException("cannot read " + file, e);
        }
        HttpRequest req = t.request(path, Duration.ofMinutes(10))
                .setHeader("Content-Type", "application/octet-stream")
                .PUT(body)
                .build();
        return Transport.decode(
                "PUT " + path, t.send(req, "PUT " + path), Transport.JSON.constructType(ImageInfo.class));
    }

    /** Applies a service spec, given as its YAML or JSON document. */
    public Applied apply(Map<String, Object> spec) {
        return t.call("POST", "/v1/apply", spec, Applied.class);
    }

    /** Checks a spec as {@link #apply} would, storing nothing: its image, namespace and published ports. */
    public Applied check(Map<String, Object> spec) {
        return t.call("POST", "/v1/apply?dryRun=true", spec, Applied.class);
    }

    /** A service's spec as stored. */
    public Map<String, Object> spec(String namespace, String service) {
        return t.call(
                "GET", "/v1/namespaces/" + enc(namespace) + "/services/" + enc(service) + "/spec", null, DOCUMENT);
    }

    /** The container table. */
    public List<ContainerInfo> containers() {
        return t.list("/v1/containers", "containers", ContainerInfo.class);
    }

    /** Every volume (claim 002.1) the token may read. */
    public List<VolumeInfo> volumes() {
        return t.list("/v1/volumes", "volumes", VolumeInfo.class);
    }

    /**
     * Deletes the volumes of container {@code ordinal} of a service (all, or only {@code name}): its host's
     * agent removes them and all they hold. Refused while a container of the ordinal is placed (admin).
     */
    public List<VolumeInfo> deleteVolumes(String namespace, String service, int ordinal, Optional<String> name) {
        String path = "/v1/namespaces/" + enc(namespace) + "/services/" + enc(service) + "/volumes/" + ordinal
                + name.map(n -> "?name=" + enc(n)).orElse("");
        return t.list("DELETE", path, "volumes", VolumeInfo.class);
    }

    /** One container. */
    public ContainerInfo container(String id) {
        return t.call("GET", "/v1/containers/" + enc(id), null, ContainerInfo.class);
    }

    /** Pauses or resumes the agent's registration of a container's endpoint (claims 001.3, 001.7). */
    public ContainerInfo setRegistration(String id, Registration registration) {
        return t.call(
                "PUT",
                "/v1/containers/" + enc(id) + "/registration",
                Map.of("registration", registration),
                ContainerInfo.class);
    }

    /** Gives one container another version of its image (claim 001.5). */
    public ContainerInfo setImage(String id, String version) {
        return t.call("PUT", "/v1/containers/" + enc(id) + "/image", Map.of("version", version), ContainerInfo.class);
    }

    /** What every load balancer reports of a service. */
    public ServiceLoadInfo load(String namespace, String service) {
        return t.call(
                "GET",
                "/v1/namespaces/" + enc(namespace) + "/services/" + enc(service) + "/load",
                null,
                ServiceLoadInfo.class);
    }

    /** Creates a token; the answer is the only place it is shown in full. */
    public TokenInfo createToken(CreateToken request) {
        return t.call("POST", "/v1/tokens", request, TokenInfo.class);
    }

    /** Every token, newest first, without the tokens themselves. */
    public List<TokenInfo> tokens() {
        return t.list("/v1/tokens", "tokens", TokenInfo.class);
    }

    /** Revokes a token by its id. */
    public void revokeToken(String id) {
        t.call("DELETE", "/v1/tokens/" + enc(id), null, com.fasterxml.jackson.databind.JsonNode.class);
    }
}
