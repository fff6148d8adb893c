package io.wharf.server.autoscale;

import java.util.Locale;

/**
 * One metric of a service in one evaluation.
 *
 * @param value what it is now, with containers whose agents have gone quiet counted as idle
 * @param target what the spec asks it to be
 * @param complete whether every container that should report has reported lately; a scale-in needs this
 */
public record Reading(Metric metric, double value, double target, boolean complete) {
    /** How far over (above 1) or under its target it is. */
    double ratio() {
        return value / target;
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT, "%s %.1f%s of %.1f%s", metric.field(), value, metric.unit(), target, metric.unit());
    }
}
