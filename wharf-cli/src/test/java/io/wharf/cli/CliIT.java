package io.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    @DisplayName("wharf up prints the admin token once; the CLI creates, registers, lists and deregisters")
    void upAndClientVerbs() throws Exception {
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
        }
    }

    @Test
    @DisplayName("errors exit non-zero with a one-line reason")
    void errors() throws Exception {
        try (WharfProcess wharf = new WharfProcess(data, POOL).start()) {
            assertOneLineError(wharf.cli("register", "api", "127.0.1.4-8080"), "ip_port");
            assertOneLineError(
                    wharf.cli("register", "api", "127.0.1.4_8080", "-n", "ghost"), "namespace 'ghost' does not exist");
            assertOneLineError(wharf.cli("register", "api", "127.0.1.4_8080", "--weight", "-2"), "weight");
            assertOneLineError(wharf.cli(Map.of("WHARF_TOKEN", "wrong"), "create", "namespace", "x"), "HTTP 401");
            assertOneLineError(
                    wharf.cli(Map.of("WHARF_SERVER", "http://127.0.0.1:1"), "get", "namespaces"),
                    "cannot reach the server");
            assertThat(wharf.cli("get", "things").exit()).isEqualTo(2);
        }
    }

    private static void assertOneLineError(WharfProcess.Result r, String mentions) {
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.err().strip())
                .startsWith("error: ")
                .contains(mentions)
                .doesNotContain("\n")
                .doesNotContain("Exception");
    }

    @Test
    @DisplayName("namespaces and services survive SIGTERM and kill -9 of the server")
    void restartKeepsState() throws Exception {
        try (WharfProcess wharf = new WharfProcess(data, POOL).start()) {
            wharf.cli("create", "namespace", "prod");
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
}
