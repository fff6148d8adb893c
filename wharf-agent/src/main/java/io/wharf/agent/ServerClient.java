package io.wharf.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

/** The agent's side of the REST API, authenticated with the join token. */
final class ServerClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String base;
    private final String token;

    ServerClient(String base, String token) {
        this.base = base.replaceAll("/+$", "");
        this.token = token;
    }

    /** A refusal by the server, with its status. */
    static final class Refused extends IOException {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    JsonNode send(String method, String path, Object body, Duration timeout) throws IOException, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        HttpResponse<String> r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 400) {
            String detail = r.body();
            try {
                detail = JSON.readTree(r.body()).path("detail").asText(r.body());
            } catch (IOException notJson) {
                // keep the raw body
            }
            throw new Refused(r.statusCode(), method + " " + path + ": HTTP " + r.statusCode() + ": " + detail);
        }
        return r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
    }

    JsonNode send(String method, String path, Object body) throws IOException, InterruptedException {
        return send(method, path, body, Duration.ofSeconds(10));
    }

    /** Downloads an image's package into {@code target}, verifying its sha256 on the way. */
    void download(String image, String version, String sha256, Path target) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/v1/images/" + image + "/" + version + "/package"))
                .timeout(Duration.ofMinutes(5))
                .header("Authorization", "Bearer " + token)
                .build();
        HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            r.body().close();
            throw new Refused(r.statusCode(), "downloading " + image + ":" + version + ": HTTP " + r.statusCode());
        }
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), "download-", ".tmp");
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(r.body(), sha)) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            String got = HexFormat.of().formatHex(sha.digest());
            if (!got.equals(sha256)) {
                throw new IOException(
                        "package of " + image + ":" + version + " has sha256 " + got + ", expected " + sha256);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }
}
