package io.wharf.client.wire;

/** Where a container of a scale-out task stands. */
public enum ScaleOutContainerStatus {
    /** Written down, not yet in the container table. */
    PENDING,
    /** In the container table, on a host, starting. */
    PLACED,
    /** Healthy and registered. */
    SERVING,
    /** It could not be placed or did not come up (the reason says why). */
    FAILED
}
