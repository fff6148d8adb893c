package io.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliIT {
    static final ObjectMapper JSON = new ObjectMapper();

    static final String POOL = "127.0.11.0/24";

    @TempDir
    Path data;

    @Test
    @DisplayName("the CLI as a new user meets it: wharf up prints the admin token once; the verbs create, register,"
            + " list and deregister; every error is one line with its reason; a bad spec names every wrong field and"
            + " leaves nothing half-made; state survives SIGTERM and kill -9 of the server")
    void cliEndToEnd() throws Exception {
        try (WharfProcess wharf = new WharfProcess(data, POOL).start()) {
            String token =
                    java.nio.file.Files.readString(data.resolve("admin.token")).trim();
            assertThat(wharf.serverOutput())
                    .contains("wharf server listening on " + wharf.url())
                    .contains(token);

            assertThat(wharf.cli("create", "namespace", "prod").out()).contains("namespace/prod created");
            var reg = wharf.cli(
                    "register",
                    "api",
                    "127.0.1.4_8080",
                    "-n",
                    "prod",
                    "--version",
                    "v1",
                    "--ttl",
                    "1h",
                    "-l",
                    "zone=a");
            assertThat(reg.exit()).as(reg.err()).isZero();

            var table = wharf.cli("get", "endpoints", "api", "-n", "prod");
            assertThat(table.out())
                    .contains("ENDPOINT")
                    .containsPattern("127\\.0\\.1\\.4_8080\\s+UP\\s+1\\s+v1\\s+API\\s+zone=a");

            JsonNode json = JSON.readTree(wharf.cli("get", "endpoints", "api", "-n", "prod", "-o", "json")
                    .out());
            assertThat(json.get("endpoints").get(0).get("id").asText()).isEqualTo("127.0.1.4_8080");
            assertThat(wharf.cli("get", "services", "-n", "prod").out()).containsPattern("api\\s+1\\s+0\\s+0");
            assertThat(wharf.cli("get", "namespaces").out()).contains("default").contains("prod");

            assertThat(wharf.cli("deregister", "api", "127.0.1.4_8080", "-n", "prod")
                            .exit())
                    .isZero();
            assertThat(JSON.readTree(wharf.cli("get", "endpoints", "api", "-n", "prod", "-o", "json")
                                    .out())
                            .get("endpoints"))
                    .isEmpty();

            // errors: one line each, with the reason
            assertOneLineError(wharf.cli("register", "api", "127.0.1.4-8080"), "ip_port");
            assertOneLineError(
                    wharf.cli("register", "api", "127.0.1.4_8080", "-n", "ghost"), "namespace 'ghost' does not exist");
            assertOneLineError(wharf.cli("register", "api", "127.0.1.4_8080", "--weight", "-2"), "weight");
            assertOneLineError(wharf.cli(Map.of("WHARF_TOKEN", "wrong"), "create", "namespace", "x"), "HTTP 401");
            assertOneLineError(
                    wharf.cli(Map.of("WHARF_SERVER", "http://127.0.0.1:1"), "get", "namespaces"),
                    "cannot reach the server");
            assertThat(wharf.cli("get", "things").exit()).isEqualTo(2);

            // bad input through the CLI and the API
            Path spec = data.resolve("bad.yaml");
            Files.writeString(spec, "name: api\nimage: demo:v9\nports:\n  - port: 8080\n");
            var unknownImage = wharf.cli("apply", "-f", spec.toString());
            assertThat(unknownImage.exit()).isEqualTo(1);
            assertThat(unknownImage.err()).contains("demo:v9 has not been pushed");

            Files.writeString(
                    spec,
                    "name: Api\nimage: demo\nreplicas: -2\nports:\n  - port: 99999\n    protocol: udp\nresources:\n  memory: lots\n");
            var invalid = wharf.http()
                    .post(
                            "/v1/apply",
                            JSON.writeValueAsString(new com.fasterxml.jackson.databind.ObjectMapper(
                                            new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                                    .readValue(spec.toFile(), Map.class)));
            assertThat(invalid.statusCode()).isEqualTo(400);
            assertThat(json(invalid.body()).get("errors").findValuesAsText("field"))
                    .containsExactlyInAnyOrder(
                            "name", "image", "replicas", "ports[0].port", "ports[0].protocol", "resources.memory");
            assertThat(wharf.cli("apply", "-f", data.resolve("missing.yaml").toString())
                            .err())
                    .startsWith("error: ");

            // several specs in one file: all are checked first, so one bad spec applies none
            Path two = data.resolve("two.yaml");
            Files.writeString(two, """
                    name: first
                    image: demo:v1
                    ports: [{port: 8080}]
                    ---
                    name: second
                    image: demo:v9
                    ports: [{port: 8080}]
                    """);
            var partial = wharf.cli("apply", "-f", two.toString());
            assertThat(partial.exit()).isEqualTo(1);
            assertThat(partial.err()).contains("nothing applied", "document 2 (second)", "demo:v9 has not been pushed");
            assertThat(wharf.http()
                            .get("/v1/namespaces/default/services/first/spec")
                            .statusCode())
                    .isEqualTo(404);
            assertThat(wharf.cli("apply", "-f", two.toString().replace("two", "missing"))
                            .err())
                    .contains("missing.yaml: no such file");

            // tokens: a read token reads and may not write; revoked, it is refused
            var created = wharf.cli("token", "create", "--read", "--namespace", "prod", "--ttl", "1h");
            assertThat(created.exit()).as(created.err()).isZero();
            String read = created.out().strip();
            assertThat(created.err()).contains("read, namespace prod", "expires");
            Map<String, String> asReader = Map.of("WHARF_TOKEN", read);
            assertThat(wharf.cli(asReader, "get", "endpoints", "api", "-n", "prod")
                            .exit())
                    .isZero();
            assertOneLineError(wharf.cli(asReader, "create", "namespace", "nope"), "HTTP 403");
            assertOneLineError(wharf.cli(asReader, "get", "endpoints", "api"), "may not read namespace default");
            String id = created.err().substring(created.err().indexOf("t-")).split(" ")[0];
            assertThat(wharf.cli("token", "list").out()).containsPattern(id + "\\s+read\\s+namespace prod");
            assertThat(wharf.cli("token", "revoke", id).exit()).isZero();
            assertOneLineError(wharf.cli(asReader, "get", "namespaces"), "revoked");
            assertThat(wharf.cli("token", "list").out()).containsPattern(id + ".*revoked");
            var noKind = wharf.cli("token", "create");
            assertThat(noKind.exit()).isEqualTo(2);
            assertThat(noKind.err()).contains("give one of --join, --read [--namespace NS] or --namespace NS");
            assertOneLineError(wharf.cli("delete", "host", "nobody"), "HTTP 404");
            assertThat(wharf.cli("completion", "bash").out()).contains("complete -F", "token", "release");

            Process intruder = wharf.startAgent("intruder", "127.0.24.0/24", "wj-not-a-token");
            assertThat(intruder.waitFor(30, java.util.concurrent.TimeUnit.SECONDS))
                    .isTrue();
            assertThat(intruder.exitValue()).isEqualTo(1);
            assertThat(Files.readString(data.resolve("agent-intruder").resolve("agent.log")))
                    .contains("HTTP 401");

            // a migration asked for wrongly names every wrong field; with no SDK instance there is nothing to move
            var migrate = wharf.cli(
                    "migrate", "--from", "127.0.0.1:2181", "--to", "Native!", "--package", "none:1", "--verify", "2h");
            assertThat(migrate.exit()).as(migrate.err()).isEqualTo(1);
            assertThat(migrate.err())
                    .contains("from: '127.0.0.1:2181' is not an address with a scheme")
                    .contains("to: 'Native!'")
                    .contains("package: none:1 has not been pushed")
                    .contains("verify: 2h (expected: 0s..1h)")
                    .doesNotContain("Exception");
            assertOneLineError(
                    wharf.cli("migrate", "--from", "zookeeper://127.0.0.1:2181/services", "--to", "native"),
                    "no SDK instance of namespace default reports using zookeeper");
            assertThat(wharf.cli("get", "migrations").out()).startsWith("ID").contains("REASON");
            assertOneLineError(wharf.cli("describe", "migration", "mig-none"), "HTTP 404");

            var push = wharf.cli(
                    "image", "push", "demo:v3", data.resolve("nothing.jar").toString());
            assertThat(push.exit()).isEqualTo(1);
            assertThat(push.err()).contains("no such file");

            assertThat(wharf.http()
                            .get("/v1/namespaces/default/services/api/spec")
                            .statusCode())
                    .isEqualTo(404);
            assertThat(json(wharf.http().get("/v1/hosts").body()).get("hosts").findValuesAsText("id"))
                    .containsExactly("local");
            assertThat(json(wharf.http().get("/v1/images").body()).get("images").findValuesAsText("image"))
                    .containsExactly("demo:v1", "demo:v2");

            // restarts keep what was stored
            wharf.cli("register", "pay", "127.0.1.9_9000", "-n", "prod", "--ttl", "1h");
            wharf.stop();
            assertThat(wharf.exitValue()).isIn(0, 143);
            wharf.start();
            assertThat(wharf.serverOutput()).doesNotContain("shown once");
            wharf.cli("create", "namespace", "staging");
            wharf.kill();
            wharf.start();
            assertThat(wharf.cli("get", "namespaces").out()).contains("prod").contains("staging");
            assertThat(wharf.cli("get", "services", "-n", "prod").out()).contains("pay");
        }
    }

    private static JsonNode json(String body) throws Exception {
        return JSON.readTree(body);
    }

    private static void assertOneLineError(WharfProcess.Result r, String mentions) {
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.err().strip())
                .startsWith("error: ")
                .contains(mentions)
                .doesNotContain("\n")
                .doesNotContain("Exception");
    }
}
