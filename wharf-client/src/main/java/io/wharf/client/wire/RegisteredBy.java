package io.wharf.client.wire;

/** Who put an endpoint into the registry. */
public enum RegisteredBy {
    /** A person or script through the REST API or the CLI. */
    API,
    /** The agent of the endpoint's host, after its health check passed. */
    AGENT,
    /** The service itself, through the client SDK. */
    SDK,
    /** A release, registering an endpoint again after its new version passed its health check (001.6). */
    RELEASE,
    /** A registry interface other than the native one (claim 003). */
    EXTERNAL
}
