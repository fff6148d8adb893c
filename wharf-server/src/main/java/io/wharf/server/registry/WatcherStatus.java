package io.wharf.server.registry;

/**
 * What the registry knows of one watcher of a service.
 *
 * @param id the watcher's id
 * @param kind how it follows changes
 * @param acknowledged the highest revision it has acknowledged
 * @param connected whether it has a connection open
 */
public record WatcherStatus(String id, Watcher.Kind kind, long acknowledged, boolean connected) {}
