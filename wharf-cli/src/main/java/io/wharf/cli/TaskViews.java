package io.wharf.cli;

import io.wharf.client.wire.ScaleOutContainerCounts;
import io.wharf.client.wire.ScaleOutCounts;
import io.wharf.client.wire.ScaleOutSummary;
import java.util.List;
import java.util.Locale;

/** How scale-out tasks print. */
final class TaskViews {
    private TaskViews() {}

    static final List<String> HEADERS =
            List.of("TASK", "GROUPS", "STATUS", "SERVICES DONE", "SKIPPED", "CONTAINERS SERVING", "ELAPSED");

    static List<String> row(ScaleOutSummary t) {
        return List.of(
                t.id(),
                String.join(",", t.groups()),
                t.status().name(),
                t.services().done() + "/" + t.services().total(),
                String.valueOf(t.services().skipped()),
                t.containers().serving() + "/" + t.containers().total(),
                seconds(t.elapsedMillis()));
    }

    /** One line of progress, for {@code scale-out --wait}. */
    static String progress(ScaleOutSummary t) {
        ScaleOutCounts s = t.services();
        ScaleOutContainerCounts c = t.containers();
        return t.status() + ": services " + s.done() + " done, " + s.creating() + " creating, " + s.pending()
                + " pending, " + s.skipped() + " skipped of " + s.total() + "; containers " + c.serving()
                + " serving, " + c.placed() + " starting, " + c.failed() + " failed of " + c.total() + " ("
                + seconds(t.elapsedMillis()) + ")";
    }

    static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }
}
