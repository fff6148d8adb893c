package io.wharf.client.wire;

/** Where a long operation (a release, a scale-out task) stands. */
public enum OperationStatus {
    /** It is under way. */
    RUNNING,
    /** It did all it was asked. */
    COMPLETED,
    /** It ended, but skipped some of its services (the reason says how many). */
    COMPLETED_WITH_SKIPS,
    /** It stopped without doing all it was asked (the reason says why). */
    FAILED
}
