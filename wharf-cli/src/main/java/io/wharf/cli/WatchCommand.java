package io.wharf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf watch}: follow a service's endpoints as they change, one line per change. */
@Command(
        name = "watch",
        mixinStandardHelpOptions = true,
        description = "Print a service's endpoints, then every change, until interrupted.")
final class WatchCommand implements Runnable {
    @Mixin
    ClientOptions client;

    @Mixin
    NamespaceOption ns;

    @Option(
            names = "--since",
            paramLabel = "REVISION",
            description = "Resume after this revision instead of starting from a snapshot.")
    Long since;

    @Parameters(paramLabel = "SERVICE")
    String service;

    @Override
    public void run() {
        String path = "/v1/namespaces/" + ns.namespace + "/services/" + service + "/endpoints"
                + (since == null ? "" : "?since=" + since);
        String event = "";
        try (Stream<String> lines = client.client().stream(path)) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    print(event, ApiClient.JSON.readTree(line.substring(6)));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("unreadable event: " + e.getMessage(), e);
        }
    }

    private static void print(String event, JsonNode data) {
        switch (event) {
            case "snapshot" -> {
                System.out.println("revision " + data.get("revision").asText() + ": "
                        + data.get("endpoints").size() + " endpoint(s)");
                data.get("endpoints").forEach(e -> System.out.println("  " + describe(e)));
            }
            case "put" ->
                System.out.println(
                        "revision " + data.get("revision").asText() + ": put " + describe(data.get("endpoint")));
            case "delete" ->
                System.out.println("revision " + data.get("revision").asText() + ": delete "
                        + data.get("id").asText() + " (" + data.get("reason").asText() + ")");
            case "resync" -> System.out.println("cut off: " + data.get("reason").asText() + "; run watch again");
            default -> System.out.println(event + ": " + data);
        }
        System.out.flush();
    }

    private static String describe(JsonNode e) {
        return e.get("id").asText() + " " + e.get("state").asText() + " weight="
                + e.get("weight").asText()
                + (e.get("version").asText().isEmpty()
                        ? ""
                        : " version=" + e.get("version").asText());
    }
}
