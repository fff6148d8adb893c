package io.wharf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** How scale-out tasks print. */
final class TaskViews {
    private TaskViews() {}

    static final List<String> HEADERS =
            List.of("TASK", "GROUPS", "STATUS", "SERVICES DONE", "SKIPPED", "CONTAINERS SERVING", "ELAPSED");

    static List<String> row(JsonNode t) {
        JsonNode s = t.get("services");
        JsonNode c = t.get("containers");
        return List.of(
                t.get("id").asText(),
                join(t.get("groups")),
                t.get("status").asText(),
                s.get("done").asInt() + "/" + s.get("total").asInt(),
                s.get("skipped").asText(),
                c.get("serving").asInt() + "/" + c.get("total").asInt(),
                seconds(t.get("elapsedMillis").asLong()));
    }

    /** One line of progress, for {@code scale-out --wait}. */
    static String progress(JsonNode t) {
        JsonNode s = t.get("services");
        JsonNode c = t.get("containers");
        return t.get("status").asText() + ": services " + s.get("done").asInt() + " done, "
                + s.get("creating").asInt() + " creating, " + s.get("pending").asInt() + " pending, "
                + s.get("skipped").asInt() + " skipped of " + s.get("total").asInt() + "; containers "
                + c.get("serving").asInt() + " serving, " + c.get("placed").asInt() + " starting, "
                + c.get("failed").asInt() + " failed of " + c.get("total").asInt() + " ("
                + seconds(t.get("elapsedMillis").asLong()) + ")";
    }

    static String join(JsonNode array) {
        StringBuilder b = new StringBuilder();
        array.forEach(v -> b.append(b.isEmpty() ? "" : ",").append(v.asText()));
        return b.toString();
    }

    static String seconds(long millis) {
        return String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
    }
}
