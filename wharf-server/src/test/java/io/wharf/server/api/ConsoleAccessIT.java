package io.wharf.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.testing.Http;
import io.wharf.server.testing.WharfServerExtension;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The console's doors: signing in, its cookie, who sees what, and who may act (docs/security.md). */
class ConsoleAccessIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Follows no redirect, so that where one goes can be checked. */
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @RegisterExtension
    final WharfServerExtension wharf = new WharfServerExtension();

    private Http admin;

    @BeforeEach
    void namespaces() {
        admin = wharf.http();
        assertThat(admin.post("/v1/namespaces", "{\"name\":\"team\"}").statusCode())
                .isEqualTo(201);
        assertThat(admin.post("/v1/namespaces", "{\"name\":\"other\"}").statusCode())
                .isEqualTo(201);
        assertThat(admin.put("/v1/namespaces/team/services/api/endpoints/127.0.9.1_8080", "{\"version\":\"v1\"}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(admin.put("/v1/namespaces/other/services/secret/endpoints/127.0.9.2_8080", "{\"version\":\"v9\"}")
                        .statusCode())
                .isEqualTo(200);
    }

    private String token(String body) throws Exception {
        return JSON.readTree(admin.post("/v1/tokens", body).body()).get("token").asText();
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(wharf.server().url() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) b.headers(headers);
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> signIn(String token, String next) throws Exception {
        String form = "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8) + "&next="
                + URLEncoder.encode(next, StandardCharsets.UTF_8);
        return send("POST", "/ui/signin", form, "Content-Type", "application/x-www-form-urlencoded");
    }

    /** A console action's form post, as the console's own script sends it. */
    private HttpResponse<String> act(String path, String form, String cookie) throws Exception {
        return send(
                "POST",
                path,
                form,
                "Cookie",
                cookie,
                "HX-Request",
                "true",
                "Content-Type",
                "application/x-www-form-urlencoded");
    }

    private static String cookie(HttpResponse<String> signedIn) {
        String set = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
        return set.substring(0, set.indexOf(';'));
    }

    @Test
    void signingInSetsACookieScriptsCannotReadThatNoOtherSiteSendsAndOnlyTheConsoleGets() throws Exception {
        var r = signIn(wharf.server().adminToken().token(), "/ui/registry?q=api");
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValue("/ui/registry?q=api");
        assertThat(r.headers().firstValue("Set-Cookie").orElseThrow())
                .startsWith("wharf_console=")
                .contains("HttpOnly", "SameSite=Strict", "Path=/ui");

        var page = send("GET", "/ui/registry?q=api", "", "Cookie", cookie(r));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self'", "frame-ancestors 'none'");
        assertThat(page.body()).contains("127.0.9.1_8080").doesNotContain("127.0.9.2_8080");

        // the API takes its Authorization header only, never the console's cookie
        assertThat(send("GET", "/v1/hosts", "", "Cookie", cookie(r)).statusCode())
                .isEqualTo(401);
    }

    @Test
    void wrongJoinAndHostTokensAreRefusedWithTheReason() throws Exception {
        var wrong = signIn("wr-0000", "/ui");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("not known to this server");
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();

        String joinToken = token("{\"kind\":\"JOIN\"}");
        var join = signIn(joinToken, "/ui");
        assertThat(join.statusCode()).isEqualTo(403);
        assertThat(join.body()).contains("a join token may not use the console");

        String hostToken = JSON.readTree(admin.withToken(joinToken)
                        .post("/v1/hosts/join", AccessIT.hostJoin("h1", AccessIT.HOST_POOL))
                        .body())
                .get("hostToken")
                .asText();
        var host = signIn(hostToken, "/ui");
        assertThat(host.statusCode()).isEqualTo(403);
        assertThat(host.body()).contains("the host token of h1 may not use the console");
        assertThat(send("GET", "/ui", "", "Cookie", "wharf_console=" + hostToken)
                        .statusCode())
                .as("a host token put in the cookie by hand")
                .isEqualTo(303);

        var empty = signIn("", "/ui");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).contains("token: missing");
    }

    @Test
    void withoutACookieAPageLeadsToSignInAndSignInLeadsNowhereButTheConsole() throws Exception {
        var page = send("GET", "/ui/services/team/api", "");
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location")).hasValue("/ui/signin?next=%2Fui%2Fservices%2Fteam%2Fapi");

        for (String elsewhere : new String[] {"//evil.example/ui", "https://evil.example/", "/v1/tokens", "/ui\\@x"}) {
            var r = signIn(wharf.server().adminToken().token(), elsewhere);
            assertThat(r.headers().firstValue("Location")).as(elsewhere).hasValue("/ui");
        }
        var stream = send("GET", "/ui/live?page=overview&a=&b=", "", "Accept", "text/event-stream");
        assertThat(stream.body()).contains("event: signedout").doesNotContain("127.0.9");
    }

    @Test
    void aReadTokenOfOneNamespaceSeesThatNamespaceOnlyAndNoHosts() throws Exception {
        String team = cookie(signIn(token("{\"kind\":\"READ\",\"namespace\":\"team\"}"), "/ui"));
        var registry = send("GET", "/ui/registry", "", "Cookie", team);
        assertThat(registry.body()).contains("127.0.9.1_8080").doesNotContain("secret", "127.0.9.2_8080");
        assertThat(send("GET", "/ui/hosts", "", "Cookie", team).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/ui", "", "Cookie", team).body())
                .doesNotContain("href=\"/ui/hosts\"")
                .contains("read-only");
        var other = send("GET", "/ui/live?page=registry&a=secret&b=", "", "Cookie", team);
        assertThat(other.body()).doesNotContain("127.0.9.2_8080");
    }

    @Test
    void onlyTheAdminActsOnlyFromTheConsolesOwnRequestsAndWithTheApisChecks() throws Exception {
        String path = "/ui/services/team/api/endpoints/127.0.9.1_8080/deregister";
        String read = cookie(signIn(token("{\"kind\":\"READ\"}"), "/ui"));
        String writer = cookie(signIn(token("{\"kind\":\"NAMESPACE\",\"namespace\":\"team\"}"), "/ui"));
        String root = cookie(signIn(wharf.server().adminToken().token(), "/ui"));

        assertThat(send("POST", path, "", "Cookie", read, "HX-Request", "true").statusCode())
                .isEqualTo(403);
        assertThat(send("POST", path, "", "Cookie", writer, "HX-Request", "true")
                        .statusCode())
                .isEqualTo(403);
        assertThat(send("POST", path, "", "Cookie", root).statusCode())
                .as("a form posted from another page cannot send HX-Request")
                .isEqualTo(403);
        assertThat(send("POST", path, "", "HX-Request", "true").statusCode()).isEqualTo(401);
        assertThat(admin.get("/v1/namespaces/team/services/api/endpoints").body())
                .contains("127.0.9.1_8080");

        var bad = act("/ui/containers/nope/registration", "registration=SLEEPING", root);
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(bad.body()).contains("registration", "ACTIVE or PAUSED");
        var scale = act("/ui/services/team/nothing/scale", "replicas=3", root);
        assertThat(scale.statusCode()).isEqualTo(404);

        var done = send("POST", path, "", "Cookie", root, "HX-Request", "true");
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("127.0.9.1_8080 deregistered from team/api");
        assertThat(admin.get("/v1/namespaces/team/services/api/endpoints").body())
                .doesNotContain("127.0.9.1_8080");
    }

    @Test
    void aLargeRegistryMakesAPageOfAFewHundredRowsAndSaysSo() throws Exception {
        for (int i = 0; i < ConsolePages.REGISTRY_ROWS + 100; i++) {
            String endpoint = "127.0.10." + (i / 250 + 1) + "_" + (8000 + i % 250);
            assertThat(admin.put("/v1/namespaces/team/services/many/endpoints/" + endpoint, "{}")
                            .statusCode())
                    .isEqualTo(200);
        }
        String root = cookie(signIn(wharf.server().adminToken().token(), "/ui"));
        String page = send("GET", "/ui/registry", "", "Cookie", root).body();
        assertThat(page.split("data-endpoint=", -1)).hasSize(ConsolePages.REGISTRY_ROWS + 1);
        assertThat(page).contains("data-more", "search to narrow");
        String narrowed =
                send("GET", "/ui/registry?q=127.0.10.3_", "", "Cookie", root).body();
        assertThat(narrowed.split("data-endpoint=", -1)).hasSize(100 + 1);
        assertThat(narrowed).doesNotContain("data-more");
    }

    @Test
    void aRevokedTokenIsSignedOutOfTheConsole() throws Exception {
        var created =
                JSON.readTree(admin.post("/v1/tokens", "{\"kind\":\"READ\"}").body());
        String c = cookie(signIn(created.get("token").asText(), "/ui"));
        assertThat(send("GET", "/ui", "", "Cookie", c).statusCode()).isEqualTo(200);
        assertThat(admin.delete("/v1/tokens/" + created.get("id").asText()).statusCode())
                .isEqualTo(204);
        var after = send("GET", "/ui", "", "Cookie", c);
        assertThat(after.statusCode()).isEqualTo(303);
        assertThat(after.headers().firstValue("Location").orElseThrow()).startsWith("/ui/signin");
    }
}
