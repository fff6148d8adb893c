package io.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A health check by command, for servers that answer no HTTP: the agent registers on exit 0 only. */
class HealthCommandIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    @Test
    @DisplayName("registered once its command exits 0, with the container's own environment; out when it fails")
    void registersByCommand() throws Exception {
        Path gate = data.resolve("gate");
        Files.createDirectories(gate);
        try (WharfProcess wharf = new WharfProcess(data, "127.0.39.0/24").start()) {
            Path spec = data.resolve("gated.yaml");
            // the check passes while a file named after the container's own address exists
            Files.writeString(
                    spec,
                    "name: gated\nimage: demo:v1\nreplicas: 1\nports: [{port: 8080, protocol: TCP}]\n"
                            + "health: {command: \"test -f '" + gate + "'/$WHARF_IP.$PORT\", interval: 300ms,"
                            + " attempts: 2}\n");
            var applied = wharf.cli("apply", "-f", spec.toString());
            assertThat(applied.exit()).as(applied.err()).isZero();
            await().atMost(Duration.ofSeconds(60)).until(() -> running(wharf).size() == 1);
            String ip = running(wharf).get(0);
            // running, its port open, but the command fails: not registered (a read waits while the server's
            // first seconds settle, for the agents to register what serves)
            await().during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(endpoints(wharf)).isEmpty());

            Files.createFile(gate.resolve(ip + ".8080"));
            await().atMost(Duration.ofSeconds(30)).until(() -> endpoints(wharf).equals(List.of(ip + "_8080")));

            Files.delete(gate.resolve(ip + ".8080"));
            await().atMost(Duration.ofSeconds(30)).until(() -> endpoints(wharf).isEmpty());
        }
    }

    /** The IPs of the service's running containers. */
    private static List<String> running(WharfProcess wharf) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode c :
                JSON.readTree(wharf.http().get("/v1/containers").body()).get("containers")) {
            if (c.get("service").asText().equals("gated")
                    && c.get("state").asText().equals("RUNNING")) {
                out.add(c.get("ip").asText());
            }
        }
        return out;
    }

    private static List<String> endpoints(WharfProcess wharf) throws Exception {
        List<String> out = new ArrayList<>();
        JsonNode body = JSON.readTree(wharf.http()
                .get("/v1/namespaces/default/services/gated/endpoints")
                .body());
        if (body.has("endpoints"))
            body.get("endpoints").forEach(e -> out.add(e.get("id").asText()));
        return out;
    }
}
