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
import java.nio.charset.StandardCharsets;
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
