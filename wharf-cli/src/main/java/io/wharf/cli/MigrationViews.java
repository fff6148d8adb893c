package io.wharf.cli;

import io.wharf.client.wire.MigrationInfo;
import io.wharf.client.wire.MigrationStepInfo;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** How interface migrations read in a terminal. */
final class MigrationViews {
    static final List<String> HEADERS =
            List.of("ID", "NAMESPACE", "SERVICES", "FROM", "TO", "STATUS", "STEP", "REASON");

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private MigrationViews() {}

    static List<String> row(MigrationInfo m) {
        return List.of(
                m.id(),
                m.namespace(),
                String.join(",", m.services()),
                m.from(),
                m.to(),
                m.status().name(),
                m.step(),
                m.reason());
    }

    /** One step: its name, when it began, what it found. */
    static String stepLine(MigrationStepInfo s) {
        String at = s.startedAt() == null ? "--:--:--" : TIME.format(s.startedAt());
        return String.format("  %-17s %s  %s", s.step(), at, s.note());
    }
}
