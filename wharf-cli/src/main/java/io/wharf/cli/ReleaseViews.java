package io.wharf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** How releases print. */
final class ReleaseViews {
    private ReleaseViews() {}

    static final List<String> HEADERS = List.of("RELEASE", "SERVICE", "VERSION", "STATUS", "DONE", "REASON");

    static List<String> row(JsonNode r) {
        long done = 0;
        for (JsonNode e : r.get("endpoints")) {
            if (e.get("step").asText().equals("DONE")) done++;
        }
        return List.of(
                r.get("id").asText(),
                r.get("namespace").asText() + "/" + r.get("service").asText(),
                r.get("version").asText(),
                r.get("status").asText(),
                done + "/" + r.get("endpoints").size(),
                r.get("reason").asText());
    }

    /** One endpoint: its step, how its drain ended, its checks. */
    static String endpointLine(JsonNode e) {
        StringBuilder b = new StringBuilder()
                .append(e.get("container").asText())
                .append(" (")
                .append(e.get("endpoint").asText())
                .append(") ")
                .append(e.get("step").asText());
        if (!e.path("replacement").asText().isEmpty()) {
            b.append("; new ").append(e.get("replacement").asText());
            if (!e.path("replacementEndpoint").asText().isEmpty()) {
                b.append(" (").append(e.get("replacementEndpoint").asText()).append(")");
            }
        }
        if (!e.path("watch").asText().isEmpty()) {
            b.append("; watched: ").append(e.get("watch").asText());
        }
        if (!e.get("drain").asText().isEmpty()) {
            b.append("; drain ")
                    .append(e.get("drain").asText())
                    .append(" after ")
                    .append(e.get("drainMillis").asLong())
                    .append(" ms");
        }
        if (e.get("checks").asInt() > 0)
            b.append("; checks ").append(e.get("checks").asInt());
        JsonNode steps = e.get("steps");
        if (steps.has("PENDING") && (steps.has("DONE") || steps.has("ROLLED_BACK") || steps.has("FAILED"))) {
            String end = steps.has("DONE") ? "DONE" : steps.has("ROLLED_BACK") ? "ROLLED_BACK" : "FAILED";
            String first = steps.has("DRAINING") ? "DRAINING" : steps.has("STARTING") ? "STARTING" : "PENDING";
            Instant from = Instant.parse(steps.get(first).asText());
            b.append("; ")
                    .append(Duration.between(from, Instant.parse(steps.get(end).asText()))
                            .toMillis())
                    .append(" ms in all");
        }
        if (!e.get("reason").asText().isEmpty())
            b.append("; ").append(e.get("reason").asText());
        return b.toString();
    }
}
