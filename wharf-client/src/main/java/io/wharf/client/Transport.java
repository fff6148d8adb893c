package io.wharf.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.client.wire.Problem;
import io.wharf.client.wire.Wire;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** HTTP and JSON for the typed client: one request, its refusal turned into an {@link ApiException}. */
final class Transport {
    static final ObjectMapper JSON = Wire.mapper();

    private final String base;
    private final Supplier<String> token;
    private final Duration connectTimeout;
    private final Duration timeout;
    private final boolean shortLived;
    private volatile @Nullable HttpClient http;

    Transport(String base, Supplier<String> token, Duration connectTimeout, Duration timeout, boolean shortLived) {
        this.base = base.replaceAll("/+$", "");
        this.token = token;
        this.connectTimeout = connectTimeout;
        this.timeout = timeout;
        this.shortLived = shortLived;
    }

    /** The java.net.http client, made on first use: making one sets up TLS, which takes a while. */
    private HttpClient http() {
        HttpClient h = http;
        if (h == null) {
            synchronized (this) {
                h = http;
                if (h == null) {
                    h = HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(connectTimeout)
                            .build();
                    http = h;
                }
            }
        }
        return h;
    }

    Duration timeout() {
        return timeout;
    }

    String base() {
        return base;
    }

    HttpRequest.Builder request(String path, Duration requestTimeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(requestTimeout)
                .header("Content-Type", "application/json");
        String t = token.get();
        if (t != null && !t.isEmpty()) b.header("Authorization", "Bearer " + t);
        return b;
    }

    <T> T call(String method, String path, @Nullable Object body, Class<T> type) {
        return call(method, path, body, JSON.constructType(type), timeout);
    }

    <T> T call(String method, String path, @Nullable Object body, TypeReference<T> type) {
        return call(method, path, body, JSON.constructType(type), timeout);
    }

    <T> T call(String method, String path, @Nullable Object body, JavaType type, Duration requestTimeout) {
        byte[] answer = raw(method, path, body, requestTimeout);
        return decode(method + " " + path, answer, type);
    }

    /** The list under {@code field} of the document at {@code path}. */
    <T> List<T> list(String path, String field, Class<T> element) {
        return list("GET", path, field, element);
    }

    /** The list in field {@code field} of the answer to a {@code method} of {@code path}. */
    <T> List<T> list(String method, String path, String field, Class<T> element) {
        JsonNode doc = call(method, path, null, JsonNode.class);
        JsonNode items = doc.path(field);
        return JSON.convertValue(
                items.isMissingNode() ? JSON.createArrayNode() : items,
                JSON.getTypeFactory().constructCollectionType(List.class, element));
    }

    /** The answer's body as the server sent it. */
    byte[] raw(String method, String path, @Nullable Object body, Duration requestTimeout) {
        if (shortLived) return rawOnce(method, path, json(body), requestTimeout);
        HttpRequest req =
                request(path, requestTimeout).method(method, publisher(body)).build();
        return send(req, method + " " + path);
    }

    /** One call over the JDK's HttpURLConnection, for processes that make a few calls and exit. */
    private byte[] rawOnce(String method, String path, byte @Nullable [] body, Duration requestTimeout) {
        String what = method + " " + path;
        try {
            HttpURLConnection c =
                    (HttpURLConnection) URI.create(base + path).toURL().openConnection();
            c.setRequestMethod(method);
            c.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
            c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, requestTimeout.toMillis()));
            c.setRequestProperty("Content-Type", "application/json");
            String t = token.get();
            if (t != null && !t.isEmpty()) c.setRequestProperty("Authorization", "Bearer " + t);
            if (body != null) {
                c.setDoOutput(true);
                c.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            byte[] answer;
            if (in == null) {
                answer = new byte[0];
            } else {
                try (InputStream stream = in) {
                    answer = stream.readAllBytes();
                }
            }
            if (status >= 400) throw refusal(what, status, answer);
            return answer;
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    byte[] send(HttpRequest req, String what) {
        try {
            HttpResponse<byte[]> r = http().send(req, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() >= 400) {
                throw refusal(what, r.statusCode(), r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException(what + ": interrupted", e);
        }
    }

    /** Sends without waiting; the future fails with an {@link ApiException} or {@link UnreachableException}. */
    CompletableFuture<Void> sendAsync(String method, String path, @Nullable Object body) {
        String what = method + " " + path;
        HttpRequest req = request(path, timeout).method(method, publisher(body)).build();
        return http().sendAsync(req, HttpResponse.BodyHandlers.ofByteArray()).handle((r, err) -> {
            if (err != null) {
                throw unreachable(err instanceof IOException ? (IOException) err : new IOException(err));
            }
            if (r.statusCode() >= 400) {
                throw refusal(what, r.statusCode(), r.body());
            }
            return null;
        });
    }

    /** Opens a streaming response (server-sent events, a package download); the caller closes it. */
    HttpResponse<InputStream> open(HttpRequest req, String what) {
        try {
            HttpResponse<InputStream> r = http().send(req, HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() >= 400) {
                byte[] body;
                try (InputStream in = r.body()) {
                    body = in.readAllBytes();
                }
                throw refusal(what, r.statusCode(), body);
            }
            return r;
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException(what + ": interrupted", e);
        }
    }

    /**
     * Follows a stream of server-sent events on the HTTP client's threads, as {@link EventSubscription} says; a
     * refusal or a connection that fails ends it with an {@link ApiException} or {@link UnreachableException}.
     */
    EventSubscription follow(HttpRequest req, String what, EventSubscription.Listener listener) {
        EventSubscription events = new EventSubscription(listener, this::unreachable);
        HttpResponse.BodyHandler<byte[]> body = info -> info.statusCode() >= 400
                ? HttpResponse.BodySubscribers.ofByteArray()
                : HttpResponse.BodySubscribers.fromLineSubscriber(
                        events.subscriber, lines -> new byte[0], StandardCharsets.UTF_8, null);
        http().sendAsync(req, body).whenComplete((r, err) -> {
            if (err != null) {
                events.failed(unreachable(err));
            } else if (r.statusCode() >= 400) {
                events.failed(refusal(what, r.statusCode(), r.body()));
            } else {
                events.close(); // the server ended the stream
            }
        });
        return events;
    }

    /**
     * Downloads {@code path} into {@code target}, verifying its sha256 on the way; {@code target} appears only
     * once it is whole and verified.
     *
     * @throws ClientException if the bytes have another sha256
     */
    void download(String path, String sha256, Path target, String what) {
        HttpRequest req = request(path, Duration.ofMinutes(10)).GET().build();
        HttpResponse<InputStream> r = open(req, what);
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), "download-", ".tmp");
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                try (InputStream in = new DigestInputStream(r.body(), sha)) {
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                }
                String got = hex(sha.digest());
                if (!got.equals(sha256)) {
                    throw new ClientException(what + ": the package has sha256 " + got + ", expected " + sha256);
                }
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(what + " failed", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        StringBuilder b = new StringBuilder(bytes.length * 2);
        for (byte x : bytes) {
            b.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
        }
        return b.toString();
    }

    static <T> T decode(String what, byte[] body, JavaType type) {
        try {
            if (body.length == 0) {
                return JSON.readValue("{}", type);
            }
            return JSON.readValue(body, type);
        } catch (IOException e) {
            throw new ClientException(what + ": the answer is not what was expected: " + e.getMessage(), e);
        }
    }

    static HttpRequest.BodyPublisher publisher(@Nullable Object body) {
        byte[] bytes = json(body);
        return bytes == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes);
    }

    private static byte @Nullable [] json(@Nullable Object body) {
        if (body == null) return null;
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Throwable unreachable(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof IOException ? unreachable((IOException) cause) : cause;
    }

    private UnreachableException unreachable(IOException e) {
        if (e instanceof ConnectException) {
            return new UnreachableException(
                    "cannot reach the server at " + base + " (is it running? start one with 'wharf up')", e);
        }
        return new UnreachableException("talking to " + base + " failed: " + e, e);
    }

    private static ApiException refusal(String what, int status, byte[] body) {
        Problem problem;
        try {
            problem = JSON.readValue(body, Problem.class);
            if (problem.status() == 0) throw new IOException("not a problem");
        } catch (IOException | RuntimeException notAProblem) {
            String text = new String(body, StandardCharsets.UTF_8).trim();
            problem = new Problem(
                    "about:blank",
                    "HTTP " + status,
                    status,
                    text.isEmpty() ? "HTTP " + status : text,
                    "",
                    null,
                    null,
                    null);
        }
        return new ApiException(what, problem);
    }

    static String enc(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
