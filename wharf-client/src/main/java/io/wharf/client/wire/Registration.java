package io.wharf.client.wire;

/** Whether a container's agent keeps its endpoint in the registry. */
public enum Registration {
    /** The agent registers it while it passes its health check (claim 001.7). */
    ACTIVE,
    /** The agent neither registers nor deregisters it (claim 001.3). */
    PAUSED
}
