package io.wharf.server.api;

import static io.wharf.server.api.RegistryApiIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.testing.Http;
import io.wharf.server.testing.WharfServerExtension;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a careless or hostile client sends: each refused with the field and the reason, as problem+json. */
class HostileInputIT {
    static final String API = "/v1/namespaces/default/services/api/endpoints";

    @RegisterExtension
    final WharfServerExtension wharf = new WharfServerExtension();

    @Test
    @DisplayName("numbers for strings, out-of-range numbers and control characters are refused, naming the field")
    void fieldsAreNamed() throws Exception {
        Http http = wharf.http();
        assertProblem(http.post("/v1/namespaces", "{\"name\":42}"), 400, "name");
        assertProblem(http.put(API + "/127.0.1.1_80", "{\"weight\":99999999999999999999}"), 400, "weight");
        assertProblem(http.put(API + "/127.0.1.1_80", "{\"version\":\"v1\\nX-Injected: yes\"}"), 400, "version");
        assertProblem(http.put(API + "/127.0.1.1_80", "{\"version\":true}"), 400, "version");
        assertProblem(
                http.put(API + "/127.0.1.1_80", "{\"metadata\":{\"zone\":\"" + "a".repeat(1000) + "\"}}"),
                400,
                "metadata.zone");
        assertProblem(
                http.post(
                        "/v1/apply",
                        "{\"name\":\"web\",\"image\":\"demo:v1\",\"ports\":[{\"port\":8080,\"external\":"
                                + URI.create(http.base()).getPort() + "}]}"),
                400,
                null);
    }

    @Test
    @DisplayName("the registry's hot routes answer every wrong request as the API's router does")
    void hotRoutesAnswerAsTheRouter() throws Exception {
        Http http = wharf.http();
        String big = "{\"version\":\"" + "v".repeat(70_000) + "\"}";
        List<Function<String, HttpResponse<String>>> requests = List.of(
                q -> http.withoutToken().get(API + q),
                q -> http.withToken("not-a-token").get(API + q),
                q -> http.get("/v1/namespaces/default/services/Bad_Name/endpoints" + q),
                q -> http.get("/v1/namespaces/nope/services/api/endpoints" + q),
                q -> http.withoutToken().put(API + "/127.0.1.1_80" + q, "{}"),
                q -> http.put(API + "/127.0.1.1_99999" + q, "{}"),
                q -> http.put(API + "/127.0.1.1_80" + q, "{\"version\":"),
                q -> http.put(API + "/127.0.1.1_80" + q, "{\"weight\":-1,\"ttl\":\"soon\",\"extra\":1}"),
                q -> http.put("/v1/namespaces/nope/services/api/endpoints/127.0.1.1_80" + q, "{}"),
                q -> http.put(API + "/127.0.1.1_80" + q, big),
                q -> http.send(http.request(API + "/127.0.1.1_80" + q)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofInputStream(
                                () -> new java.io.ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))));
        for (var request : requests) {
            HttpResponse<String> hot = request.apply(""); // no query: the hot route
            HttpResponse<String> routed = request.apply("?by=router"); // a query: Javalin's route
            assertThat(hot.statusCode()).as(hot.body()).isGreaterThanOrEqualTo(400);
            assertThat(hot.statusCode()).as(hot.body()).isEqualTo(routed.statusCode());
            assertThat(hot.headers().firstValue("Content-Type"))
                    .isEqualTo(routed.headers().firstValue("Content-Type"));
            assertThat(hot.headers().firstValue("WWW-Authenticate"))
                    .isEqualTo(routed.headers().firstValue("WWW-Authenticate"));
            assertThat(RegistryApiIT.json(hot)).as(hot.body()).isEqualTo(RegistryApiIT.json(routed));
        }
        HttpResponse<String> registered = http.put(API + "/127.0.1.1_80", "{\"version\":\"v1\",\"ttl\":\"1m\"}");
        assertThat(registered.statusCode()).isEqualTo(200);
        assertThat(registered.headers().firstValue("X-Wharf-Revision")).isPresent();
        HttpResponse<String> hot = http.get(API);
        HttpResponse<String> routed = http.get(API + "?by=router");
        assertThat(hot.headers().firstValue("X-Wharf-Revision"))
                .isEqualTo(routed.headers().firstValue("X-Wharf-Revision"));
        assertThat(RegistryApiIT.json(hot)).isEqualTo(RegistryApiIT.json(routed));
    }

    @Test
    @DisplayName("requests the web server refuses before the API sees them are answered as problem+json too")
    void protocolEdges() throws Exception {
        String longUrl = "GET /v1/namespaces/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n";
        assertRawProblem(longUrl, 414);
        String hugeHeader = "GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(100_000) + "\r\n\r\n";
        assertRawProblem(hugeHeader, 431);
        assertRawProblem("GET /v1/namespaces/de\0fault HTTP/1.1\r\nHost: x\r\n\r\n", 400);
        assertRawProblem("GET /v1/namespaces/de%00fault HTTP/1.1\r\nHost: x\r\n\r\n", 400);
    }

    private void assertRawProblem(String request, int status) throws Exception {
        URI base = URI.create(wharf.server().url());
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (java.net.SocketException refusedMidway) {
                // the server may answer and close before it has read all of a huge request
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            try {
                while ((n = in.read(buf)) > 0) {
                    answer.write(buf, 0, n);
                    if (answer.toString(StandardCharsets.ISO_8859_1).contains("}")) break;
                }
            } catch (java.net.SocketException reset) {
                // read what arrived before the reset
            }
            String text = answer.toString(StandardCharsets.UTF_8);
            assertThat(text)
                    .as(request.substring(0, Math.min(60, request.length())))
                    .startsWith("HTTP/1.1 " + status)
                    .containsIgnoringCase("Content-Type: application/problem+json")
                    .doesNotContain("<html");
            String body = text.substring(text.indexOf("\r\n\r\n") + 4);
            assertThat(RegistryApiIT.JSON.readTree(body).get("status").asInt()).isEqualTo(status);
        }
    }
}
