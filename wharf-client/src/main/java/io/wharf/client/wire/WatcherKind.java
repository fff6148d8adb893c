package io.wharf.client.wire;

/** How a watcher follows a service's changes. */
public enum WatcherKind {
    /** Server-sent events, pushed one by one. */
    STREAM,
    /** Repeated long-polls. */
    LONG_POLL
}
