package io.wharf.server.api;

import static io.wharf.server.api.RegistryApiIT.assertProblem;
import static io.wharf.server.api.RegistryApiIT.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.testing.Http;
import io.wharf.server.testing.WharfServerExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every route, asked by every kind of token and by none: who may do what (docs/security.md). */
class AccessIT {
    /** The askers: no token, the token kinds, the admin. */
    enum Who {
        NONE,
        READ,
        READ_TEAM,
        TEAM,
        JOIN,
        HOST,
        ADMIN
    }

    /** What a route answers an asker: let through (any status but 401 and 403), 401 or 403. */
    enum Answer {
        PASS,
        UNAUTHORIZED,
        FORBIDDEN
    }

    static final String HOST_POOL = "127.0.40.0/24";
    static final String BEAT =
            "{\"usage\":{\"cpuLoad\":0.1,\"memoryUsedMb\":1,\"memoryTotalMb\":2,\"diskFreeMb\":3},\"containers\":[]}";

    @RegisterExtension
    final WharfServerExtension wharf = new WharfServerExtension();

    private final Map<Who, Http> as = new EnumMap<>(Who.class);
    private String hostLease;
    private String teamLease;

    @BeforeEach
    void tokens() throws Exception {
        Http admin = wharf.http();
        as.put(Who.ADMIN, admin);
        as.put(Who.NONE, admin.withoutToken());
        assertThat(admin.post("/v1/namespaces", "{\"name\":\"team\"}").statusCode())
                .isEqualTo(201);
        assertThat(admin.put("/v1/namespaces/default/services/api/endpoints/127.0.1.1_80", "{}")
                        .statusCode())
                .isEqualTo(200);
        as.put(Who.READ, admin.withToken(token(admin, "{\"kind\":\"read\"}")));
        as.put(Who.READ_TEAM, admin.withToken(token(admin, "{\"kind\":\"read\",\"namespace\":\"team\"}")));
        as.put(Who.TEAM, admin.withToken(token(admin, "{\"kind\":\"namespace\",\"namespace\":\"team\"}")));
        String join = token(admin, "{\"kind\":\"join\"}");
        as.put(Who.JOIN, admin.withToken(join));
        JsonNode joined = json(admin.withToken(join).post("/v1/hosts/join", hostJoin("h1", HOST_POOL)));
        as.put(Who.HOST, admin.withToken(joined.get("hostToken").asText()));
        hostLease = joined.get("host").get("lease").asText();
        teamLease = json(as.get(Who.TEAM).post("/v1/leases", "{\"ttl\":\"1m\"}"))
                .get("id")
                .asText();
    }

    static String token(Http admin, String request) throws Exception {
        HttpResponse<String> r = admin.post("/v1/tokens", request);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).get("token").asText();
    }

    static boolean absent(JsonNode node) {
        return node.isMissingNode() || node.isNull();
    }

    static String hostJoin(String name, String pool) {
        return "{\"name\":\"" + name + "\",\"address\":\"127.0.0.1\",\"ipPool\":\"" + pool
                + "\",\"cpuMillis\":1000,\"memoryMb\":512}";
    }

    /** A route and who may use it; everyone else gets 403 (401 without a token). */
    record Route(String method, String path, String body, List<Who> allowed) {
        Answer expected(Who who) {
            if (allowed.contains(who)) return Answer.PASS;
            return who == Who.NONE ? Answer.UNAUTHORIZED : Answer.FORBIDDEN;
        }
    }

    static Route route(String method, String path, String body, Who... allowed) {
        return new Route(method, path, body, List.of(allowed));
    }

    private List<Route> routes() {
        String api = "/v1/namespaces/default/services/api";
        String team = "/v1/namespaces/team/services/x";
        Who[] everyone = Who.values();
        Who[] readAll = {Who.READ, Who.ADMIN};
        Who[] readDefault = {Who.READ, Who.ADMIN};
        Who[] readTeam = {Who.READ, Who.READ_TEAM, Who.TEAM, Who.ADMIN};
        Who[] admin = {Who.ADMIN};
        return List.of(
                route("GET", "/v1/health", null, everyone),
                route("GET", "/metrics", null, everyone),
                // the registry: readers of the namespace, and hosts, whose load balancers follow every service
                route("GET", "/v1/namespaces", null, Who.READ, Who.READ_TEAM, Who.TEAM, Who.HOST, Who.ADMIN),
                route("POST", "/v1/namespaces", "{\"name\":\"n2\"}", admin),
                route("GET", "/v1/namespaces/default", null, Who.READ, Who.HOST, Who.ADMIN),
                route("GET", "/v1/namespaces/default/services", null, Who.READ, Who.HOST, Who.ADMIN),
                route("GET", api + "/endpoints", null, Who.READ, Who.HOST, Who.ADMIN),
                route("GET", api + "/endpoints/127.0.1.1_80", null, Who.READ, Who.HOST, Who.ADMIN),
                route("GET", team + "/endpoints", null, Who.READ, Who.READ_TEAM, Who.TEAM, Who.HOST, Who.ADMIN),
                route("GET", api + "/watchers", null, Who.READ, Who.HOST, Who.ADMIN),
                // the watch as server-sent events, which the hot routes serve: as the plain read
                route("WATCH", api + "/endpoints", null, Who.READ, Who.HOST, Who.ADMIN),
                route("WATCH", team + "/endpoints", null, Who.READ, Who.READ_TEAM, Who.TEAM, Who.HOST, Who.ADMIN),
                // writing endpoints: the admin; a namespace token in its namespace; a host within its pool
                route("PUT", api + "/endpoints/127.0.9.1_80", "{}", admin),
                route("PUT", team + "/endpoints/127.0.9.2_80", "{}", Who.TEAM, Who.ADMIN),
                route(
                        "PUT",
                        team + "/endpoints/127.0.9.3_80",
                        "{\"lease\":\"" + teamLease + "\"}",
                        Who.TEAM,
                        Who.ADMIN),
                route("PUT", api + "/endpoints/127.0.40.5_80", "{\"lease\":\"{hostLease}\"}", Who.HOST, Who.ADMIN),
                route("PUT", api + "/endpoints/127.0.9.4_80/heartbeat", "", admin),
                route("DELETE", api + "/endpoints/127.0.9.9_80", null, admin),
                route("DELETE", team + "/endpoints/127.0.9.9_80", null, Who.TEAM, Who.ADMIN),
                route("DELETE", api + "/endpoints/127.0.40.9_80", null, Who.HOST, Who.ADMIN),
                // shared leases: whoever was granted one; a host's lease is its agent's alone
                route("POST", "/v1/leases", "{}", Who.TEAM, Who.ADMIN),
                route("PUT", "/v1/leases/" + teamLease + "/heartbeat", "", Who.TEAM, Who.ADMIN),
                route("PUT", "/v1/leases/{hostLease}/heartbeat", "", admin),
                route("DELETE", "/v1/leases/l-none", null, Who.TEAM, Who.ADMIN),
                // acknowledging: readers of the namespace; a host only as its own load balancer
                route("PUT", api + "/watchers/lb@h1/ack", "{\"revision\":1}", Who.READ, Who.HOST, Who.ADMIN),
                route("PUT", api + "/watchers/sdk-1/ack", "{\"revision\":1}", Who.READ, Who.ADMIN),
                // the cluster
                route("GET", "/v1/images", null, readAll),
                route("GET", "/v1/images/demo/v1", null, readAll),
                route("GET", "/v1/images/demo/v1/package", null, Who.READ, Who.HOST, Who.ADMIN),
                route("PUT", "/v1/images/demo/v1?filename=demo.jar", "", admin),
                route("POST", "/v1/apply", "{}", admin),
                route("GET", api + "/spec", null, readDefault),
                route("GET", team + "/spec", null, readTeam),
                route("GET", api + "/load", null, readDefault),
                route("GET", api + "/intake", null, readDefault),
                route("GET", "/v1/containers", null, Who.READ, Who.READ_TEAM, Who.TEAM, Who.ADMIN),
                route("GET", "/v1/containers/default.api.0", null, Who.READ, Who.READ_TEAM, Who.TEAM, Who.ADMIN),
                route("PUT", "/v1/containers/default.api.0/registration", "{\"registration\":\"PAUSED\"}", admin),
                route("PUT", "/v1/containers/default.api.0/image", "{\"version\":\"v2\"}", admin),
                route("GET", "/v1/volumes", null, Who.READ, Who.READ_TEAM, Who.TEAM, Who.ADMIN),
                route("DELETE", api + "/volumes/0", null, admin),
                // hosts: their own agent; the admin
                route("GET", "/v1/hosts", null, readAll),
                route("PUT", "/v1/hosts/h1/heartbeat", BEAT, Who.HOST, Who.ADMIN),
                route("PUT", "/v1/hosts/h2/heartbeat", BEAT, admin),
                route("GET", "/v1/hosts/h1/assignments", null, Who.HOST, Who.ADMIN),
                route("GET", "/v1/hosts/h2/assignments", null, admin),
                route("DELETE", "/v1/hosts/nobody", null, admin),
                // tokens and operations
                route("POST", "/v1/tokens", "{\"kind\":\"read\"}", admin),
                route("GET", "/v1/tokens", null, admin),
                route("DELETE", "/v1/tokens/t-none", null, admin),
                route("POST", "/v1/releases", "{}", admin),
                route("GET", "/v1/releases", null, Who.READ, Who.READ_TEAM, Who.TEAM, Who.ADMIN),
                route("GET", "/v1/releases/rel-none", null, Who.READ, Who.READ_TEAM, Who.TEAM, Who.ADMIN),
                route("POST", "/v1/scale-outs", "{}", admin),
                route("GET", "/v1/scale-outs", null, readAll),
                route("GET", "/v1/scale-outs/so-none", null, readAll),
                route("GET", "/v1/autoscalers", null, Who.READ, Who.READ_TEAM, Who.TEAM, Who.ADMIN),
                route("GET", team + "/autoscaler", null, readTeam),
                route("GET", "/v1/scale-ins", null, Who.READ, Who.READ_TEAM, Who.TEAM, Who.ADMIN),
                route("GET", "/v1/scale-ins/si-none", null, Who.READ, Who.READ_TEAM, Who.TEAM, Who.ADMIN),
                // SDK instances: they report with a namespace token of theirs; readers of the namespace list them
                route("PUT", "/v1/namespaces/default/clients/sdk-1", "{}", admin),
                route("PUT", "/v1/namespaces/team/clients/sdk-2", "{}", Who.TEAM, Who.ADMIN),
                route("DELETE", "/v1/namespaces/team/clients/sdk-none", null, Who.TEAM, Who.ADMIN),
                route("GET", "/v1/namespaces/default/clients", null, readDefault),
                route("GET", "/v1/namespaces/team/clients", null, readTeam),
                // migrations: the admin starts them; the packages they install, readers of the namespace fetch
                route("POST", "/v1/migrations", "{}", admin),
                route("GET", "/v1/migrations", null, Who.READ, Who.READ_TEAM, Who.TEAM, Who.ADMIN),
                route("GET", "/v1/migrations/mig-none", null, Who.READ, Who.READ_TEAM, Who.TEAM, Who.ADMIN),
                route("GET", "/v1/namespaces/team/interface-packages/" + "0".repeat(64), null, readTeam),
                route("GET", "/v1/namespaces/default/interface-packages/" + "0".repeat(64), null, readDefault));
    }

    @Test
    @DisplayName("every route answers every kind of token, and none, as docs/security.md says")
    void everyRouteByEveryToken() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Route r : routes()) {
            for (Who who : Who.values()) {
                HttpResponse<String> res = send(as.get(who), r);
                Answer got =
                        switch (res.statusCode()) {
                            case 401 -> Answer.UNAUTHORIZED;
                            case 403 -> Answer.FORBIDDEN;
                            default -> Answer.PASS;
                        };
                if (got != r.expected(who)) {
                    wrong.add(r.method() + " " + r.path() + " as " + who + ": expected " + r.expected(who) + ", got "
                            + res.statusCode() + " " + res.body());
                } else if (got != Answer.PASS) {
                    assertProblem(res, res.statusCode(), null);
                } else {
                    assertThat(res.statusCode())
                            .as(r.method() + " " + r.path() + " as " + who)
                            .isLessThan(500);
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    /**
     * Sends the route's request. {@code {hostLease}} stands for the host's lease, renewed by a heartbeat just
     * before, so that a slow run does not find it lapsed (a 404 that would hide the answer judged).
     */
    private HttpResponse<String> send(Http http, Route r) throws Exception {
        String path = r.path();
        String body = r.body();
        if (path.contains("{hostLease}") || (body != null && body.contains("{hostLease}"))) {
            String lease = json(as.get(Who.ADMIN).put("/v1/hosts/h1/heartbeat", BEAT))
                    .get("lease")
                    .asText();
            path = path.replace("{hostLease}", lease);
            body = body == null ? null : body.replace("{hostLease}", lease);
        }
        return switch (r.method()) {
            case "GET" -> http.get(path);
            case "POST" -> http.post(path, body);
            case "PUT" -> http.put(path, body);
            case "DELETE" -> http.delete(path);
            case "WATCH" -> watch(http, path);
            default -> throw new IllegalArgumentException(r.method());
        };
    }

    /** Opens an event stream: a refusal's body as text; an opened stream is closed at once, its body empty. */
    private static HttpResponse<String> watch(Http http, String path) throws Exception {
        var stream = new java.util.concurrent.atomic.AtomicReference<java.io.InputStream>();
        HttpResponse<String> r = Http.client()
                .send(
                        http.request(path)
                                .header("Accept", "text/event-stream")
                                .GET()
                                .build(),
                        info -> info.statusCode() == 200
                                ? HttpResponse.BodySubscribers.mapping(
                                        HttpResponse.BodySubscribers.ofInputStream(), in -> {
                                            stream.set(in);
                                            return "";
                                        })
                                : HttpResponse.BodySubscribers.ofString(java.nio.charset.StandardCharsets.UTF_8));
        if (stream.get() != null) stream.get().close();
        return r;
    }

    @Test
    @DisplayName("a host with hundreds of containers can report them all: a heartbeat may be larger than other"
            + " requests")
    void largeHeartbeats() throws Exception {
        StringBuilder containers = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            if (i > 0) containers.append(',');
            containers
                    .append("{\"id\":\"default.web.")
                    .append(i)
                    .append("\",\"state\":\"RUNNING\",\"pid\":")
                    .append(1000 + i)
                    .append(
                            ",\"healthy\":true,\"registered\":true,\"restarts\":0,\"lastExit\":\"\",\"rssBytes\":123456789,"
                                    + "\"cpuSeconds\":12.5,\"image\":\"demo:v1\",\"checks\":42,\"diskBytes\":1234567,"
                                    + "\"diskReadBytes\":7654321,\"diskWriteBytes\":1234567}");
        }
        String beat = BEAT.replace("\"containers\":[]", "\"containers\":[" + containers + "]");
        assertThat(beat.length()).isGreaterThan(ApiServer.MAX_BODY_BYTES * 2);
        assertThat(as.get(Who.HOST).put("/v1/hosts/h1/heartbeat", beat).statusCode())
                .isEqualTo(200);
        assertProblem(
                as.get(Who.HOST).put("/v1/hosts/h1/heartbeat", "x".repeat(HostRoutes.MAX_HEARTBEAT_BYTES + 1)),
                400,
                "body");
    }

    @Test
    @DisplayName("lists are cut to what the token may read: a namespace's token sees its namespace only")
    void listsAreFiltered() throws Exception {
        JsonNode namespaces = json(as.get(Who.READ_TEAM).get("/v1/namespaces"));
        assertThat(namespaces.get("namespaces").findValuesAsText("name")).containsExactly("team");
        assertThat(json(as.get(Who.READ).get("/v1/namespaces"))
                        .get("namespaces")
                        .findValuesAsText("name"))
                .contains("default", "team");
    }

    @Test
    @DisplayName("a join token joins a new host and nothing else; the host gets a token of its own, once")
    void joiningGivesAHostItsOwnToken() throws Exception {
        Http join = as.get(Who.JOIN);
        // the attack: a join token writes a service's registry, reads every host's assignments
        assertProblem(
                join.put("/v1/namespaces/default/services/demo/endpoints/127.0.0.77_8080", "{\"weight\":10000}"),
                403,
                null);
        assertProblem(join.get("/v1/hosts/h1/assignments"), 403, null);
        // a name that joined before needs its own token: an impostor with a join token is refused
        HttpResponse<String> impostor = join.post("/v1/hosts/join", hostJoin("h1", "127.0.41.0/24"));
        assertProblem(impostor, 409, null);
        assertThat(json(impostor).get("detail").asText()).contains("host.token");
        // the host itself joins again with its token, and keeps it
        Http host = as.get(Who.HOST);
        JsonNode again = json(host.post("/v1/hosts/join", hostJoin("h1", HOST_POOL)));
        assertThat(absent(again.path("hostToken"))).as(again.toString()).isTrue();
        assertThat(host.get("/v1/hosts/h1/assignments").statusCode()).isEqualTo(200);
        // but not as another host
        assertProblem(host.post("/v1/hosts/join", hostJoin("h2", "127.0.42.0/24")), 403, null);
        // a new name joins with the join token and gets a token that works for it alone
        JsonNode h3 = json(join.post("/v1/hosts/join", hostJoin("h3", "127.0.43.0/24")));
        Http third = host.withToken(h3.get("hostToken").asText());
        assertThat(third.get("/v1/hosts/h3/assignments").statusCode()).isEqualTo(200);
        assertProblem(third.get("/v1/hosts/h1/assignments"), 403, null);
        // a host registers addresses of its own pool only, and only on its own lease
        assertProblem(
                host.put(
                        "/v1/namespaces/default/services/api/endpoints/127.0.43.5_80",
                        "{\"lease\":\"" + hostLease + "\"}"),
                403,
                null);
        assertProblem(
                host.put("/v1/namespaces/default/services/api/endpoints/127.0.40.6_80", "{\"ttl\":\"10s\"}"),
                403,
                null);
    }

    @Test
    @DisplayName("a removed host's token stops working; the name may then join again with a join token")
    void removingAHostRevokesItsToken() throws Exception {
        Http admin = as.get(Who.ADMIN);
        // a host whose agent reports is READY and cannot be removed
        assertThat(as.get(Who.HOST).put("/v1/hosts/h1/heartbeat", BEAT).statusCode())
                .isEqualTo(200);
        assertProblem(admin.delete("/v1/hosts/h1"), 409, null);
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> json(admin.get("/v1/hosts"))
                                .get("hosts")
                                .get(0)
                                .get("state")
                                .asText(),
                        "LOST"::equals);
        assertThat(admin.delete("/v1/hosts/h1").statusCode()).isEqualTo(204);
        assertProblem(as.get(Who.HOST).get("/v1/hosts/h1/assignments"), 401, null);
        assertThat(as.get(Who.JOIN)
                        .post("/v1/hosts/join", hostJoin("h1", HOST_POOL))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    @DisplayName("tokens expire and can be revoked; the list shows them without the tokens themselves")
    void tokensExpireAndAreRevoked() throws Exception {
        Http admin = as.get(Who.ADMIN);
        JsonNode join = json(admin.post("/v1/tokens", "{\"kind\":\"join\"}"));
        Instant created = Instant.parse(join.get("createdAt").asText());
        assertThat(Instant.parse(join.get("expiresAt").asText())).isEqualTo(created.plus(Duration.ofHours(1)));

        JsonNode brief = json(admin.post("/v1/tokens", "{\"kind\":\"read\",\"ttl\":\"1s\"}"));
        Http briefly = admin.withToken(brief.get("token").asText());
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> briefly.get("/v1/namespaces").statusCode() == 401);
        assertThat(json(briefly.get("/v1/namespaces")).get("detail").asText()).contains("expired");

        Http read = as.get(Who.READ);
        JsonNode list = json(admin.get("/v1/tokens"));
        assertThat(list.get("tokens").findValuesAsText("token")).allMatch(String::isEmpty);
        String readTokenId = null;
        for (JsonNode t : list.get("tokens")) {
            if (t.get("kind").asText().equals("READ")
                    && t.get("namespace").asText().isEmpty()
                    && absent(t.path("expiresAt"))) {
                readTokenId = t.get("id").asText();
            }
        }
        assertThat(readTokenId).isNotNull();
        assertThat(admin.delete("/v1/tokens/" + readTokenId).statusCode()).isEqualTo(204);
        HttpResponse<String> refused = read.get("/v1/namespaces");
        assertProblem(refused, 401, null);
        assertThat(json(refused).get("detail").asText()).contains("revoked");
        assertProblem(admin.delete("/v1/tokens/" + readTokenId), 404, null);
        assertProblem(admin.post("/v1/tokens", "{\"kind\":\"host\"}"), 400, "kind");
        assertProblem(admin.post("/v1/tokens", "{\"kind\":\"namespace\"}"), 400, "namespace");
        assertProblem(admin.post("/v1/tokens", "{\"kind\":\"read\",\"ttl\":\"0s\"}"), 400, "ttl");
    }
}
