package io.wharf.client.wire;

/** Where a service of a scale-out task stands. */
public enum ScaleOutServiceStatus {
    /** Not visited yet. */
    PENDING,
    /** Its new containers are written down and being created. */
    CREATING,
    /** All its new containers serve. */
    DONE,
    /** Its creation failed; the task went on without it (the reason says why). */
    SKIPPED
}
