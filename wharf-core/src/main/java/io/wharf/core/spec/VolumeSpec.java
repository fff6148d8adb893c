package io.wharf.core.spec;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * A volume each container of a service has for itself (claim 002.1): a directory on the container's host that
 * outlives the container — kept across restarts, releases and scale-in — and that pins the container's ordinal
 * to that host.
 *
 * @param name its name within the service, e.g. {@code data}
 * @param path where the container sees it, relative to the container's directory
 * @param sizeBytes the space it is expected to take, checked against the host's free disk at placement
 */
public record VolumeSpec(String name, String path, long sizeBytes) {
    public VolumeSpec {
        requireNonNull(name, "name");
        requireNonNull(path, "path");
    }

    /** The variable that tells the container where the volume is: {@code WHARF_VOLUME_} and its name. */
    public String variable() {
        return variable(name);
    }

    /** The variable for a volume named {@code name}. */
    public static String variable(String name) {
        return "WHARF_VOLUME_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
