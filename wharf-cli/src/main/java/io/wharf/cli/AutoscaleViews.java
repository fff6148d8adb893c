package io.wharf.cli;

import io.wharf.client.wire.AutoscaleReading;
import io.wharf.client.wire.AutoscalerInfo;
import io.wharf.client.wire.ScaleInInfo;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** How autoscalers and scale-ins print. */
final class AutoscaleViews {
    static final List<String> HEADERS =
            List.of("SERVICE", "REPLICAS", "DESIRED", "MIN", "MAX", "METRICS (NOW/TARGET)", "LAST CHANGE", "STATE");
    static final List<String> SCALE_IN_HEADERS = List.of("ID", "SERVICE", "STATUS", "CONTAINERS", "REASON", "OUTCOME");

    private AutoscaleViews() {}

    static List<String> row(AutoscalerInfo a) {
        return List.of(
                a.namespace() + "/" + a.service(),
                a.ready() + "/" + a.current(),
                String.valueOf(a.desired()),
                String.valueOf(a.min()),
                String.valueOf(a.max()),
                metrics(a.readings()),
                a.lastChange().map(Object::toString).orElse("-"),
                a.holding().map(h -> "holding for " + h).orElse(a.state()));
    }

    static String metrics(List<AutoscaleReading> readings) {
        if (readings.isEmpty()) return "-";
        return readings.stream().map(AutoscaleViews::reading).collect(Collectors.joining(", "));
    }

    static String reading(AutoscaleReading r) {
        return String.format(Locale.ROOT, "%s %s/%s%s", r.metric(), number(r.value()), number(r.target()), r.unit());
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9
                ? String.valueOf((long) v)
                : String.format(Locale.ROOT, "%.1f", v);
    }

    static List<String> scaleInRow(ScaleInInfo s) {
        long stopped =
                s.containers().stream().filter(c -> c.step().equals("STOPPED")).count();
        return List.of(
                s.id(),
                s.namespace() + "/" + s.service(),
                s.status().name(),
                stopped + "/" + s.containers().size() + " stopped",
                s.reason(),
                s.outcome().isEmpty() ? "-" : s.outcome());
    }
}
