package io.wharf.client.wire;

/** Whether a container should run. */
public enum Desired {
    /** It should run. */
    RUNNING,
    /** It should be stopped, and its row removed once it is. */
    STOPPED
}
