package io.wharf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

/** The CLI's view of the REST API: JSON in and out, refusals turned into one-line errors. */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final Optional<String> token;

    ApiClient(String base, Optional<String> token) {
        this.base = base;
        this.token = token;
    }

    JsonNode get(String path) {
        return send(request(path).GET());
    }

    JsonNode put(String path, Object body) {
        return send(request(path).PUT(HttpRequest.BodyPublishers.ofByteArray(encode(body))));
    }

    JsonNode post(String path, Object body) {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofByteArray(encode(body))));
    }

    JsonNode putFile(String path, java.nio.file.Path file) {
        try {
            return send(request(path)
                    .setHeader("Content-Type", "application/octet-stream")
                    .timeout(Duration.ofMinutes(10))
                    .PUT(HttpRequest.BodyPublishers.ofFile(file)));
        } catch (java.io.FileNotFoundException e) {
            throw new IllegalArgumentException("cannot read " + file);
        }
    }

    JsonNode delete(String path) {
        return send(request(path).DELETE());
    }

    /** Opens an event stream and returns its lines. */
    Stream<String> stream(String path) {
        try {
            HttpResponse<Stream<String>> r = http.send(
                    request(path).header("Accept", "text/event-stream").GET().build(),
                    HttpResponse.BodyHandlers.ofLines());
            if (r.statusCode() >= 400) {
                String body = String.join("\n", (Iterable<String>) r.body()::iterator);
                throw refusal(r.statusCode(), body);
            }
            return r.body();
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return b;
    }

    private JsonNode send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 400) {
                throw refusal(r.statusCode(), r.body());
            }
            return r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private RuntimeException unreachable(IOException e) {
        if (e instanceof ConnectException) {
            return new UnreachableException(
                    "cannot reach the server at " + base + " (is it running? start one with 'wharf up')");
        }
        return new UnreachableException("talking to " + base + " failed: " + e);
    }

    private ApiException refusal(int status, String body) {
        String detail;
        try {
            JsonNode problem = JSON.readTree(body);
            detail = problem.path("detail").asText(body);
            JsonNode errors = problem.path("errors");
            if (errors.size() > 1) {
                // every refused field, not only the count of them
                StringBuilder all = new StringBuilder(detail).append(':');
                errors.forEach(e -> all.append("\n  ")
                        .append(e.path("field").asText())
                        .append(": ")
                        .append(e.path("reason").asText()));
                detail = all.toString();
            }
        } catch (IOException notJson) {
            detail = body;
        }
        String hint = status == 401
                ? " (pass --token, set WHARF_TOKEN, or run where the server's .wharf/admin.token is)"
                : "";
        return new ApiException(status, "HTTP " + status + ": " + detail + hint);
    }

    private static byte[] encode(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The server refused a request. */
    static final class ApiException extends RuntimeException {
        final int status;

        ApiException(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** The server could not be reached. */
    static final class UnreachableException extends RuntimeException {
        UnreachableException(String message) {
            super(message);
        }
    }
}
