package io.wharf.client.wire;

/** Whether a host's agent is in contact. */
public enum HostStatus {
    /** It reported within the last 3 s. */
    READY,
    /** It has not reported for longer. */
    LOST
}
