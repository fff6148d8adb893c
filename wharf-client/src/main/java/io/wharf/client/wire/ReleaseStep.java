package io.wharf.client.wire;

/** The steps of one endpoint of a release, in order (claims 001.2-001.9). */
public enum ReleaseStep {
    /** Not started. */
    PENDING,
    /** Start-first (001.9): a container of the new version is starting beside it on its own IP. */
    STARTING,
    /** Start-first: the new endpoint is registered and serving; its errors and latency are watched. */
    WATCHING,
    /** Start-first: the new endpoint served well and stays; the old one drains and is stopped. */
    RETIRING,
    /** Taken out of the registry (001.2), its agent's registration paused (001.3); draining (001.4). */
    DRAINING,
    /** Its container is being replaced by the new version (001.5) and health-checked (001.6). */
    CHECKING,
    /** The new version failed; the old one is being put back. */
    ROLLING_BACK,
    /** Registered again (001.6, 001.8) and its agent resumed (001.7). */
    DONE,
    /** Put back on its old version after the new one failed; registered and resumed. */
    ROLLED_BACK,
    /** Neither version came up; its agent was resumed. */
    FAILED
}
