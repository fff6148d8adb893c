package io.wharf.client.wire;

/** What a container's process is doing, as its agent says. */
public enum ContainerState {
    /** Not started yet. */
    STARTING,
    /** Its process runs. */
    RUNNING,
    /** It exited and waits to be started again. */
    BACKOFF,
    /** It is being stopped or replaced. */
    STOPPING,
    /** It was stopped. */
    STOPPED,
    /** It could not be started (its agent says why). */
    FAILED,
    /** Its agent has not reported it. */
    UNKNOWN
}
