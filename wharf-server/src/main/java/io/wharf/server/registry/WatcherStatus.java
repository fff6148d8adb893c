package io.wharf.server.registry;

/**
 * What the registry knows of one watcher of a service.
 *
 * @param id the watcher's id
 * @param kind how it follows changes
 * @param acknowledged the highest revision it has acknowledged
 * @param connected whether it has a connection open
 * @param acknowledges whether it declared that it acknowledges, and so is waited for by drains
 */
public record WatcherStatus(String id, Watcher.Kind kind, long acknowledged, boolean connected, boolean acknowledges) {}
