package io.wharf.lb;

/**
 * The bytes a data plane has exchanged with one endpoint address since it started: sent to it ({@code
 * toEndpoint}: requests, TCP streams) and received from it ({@code fromEndpoint}). Counted on the wire, headers
 * included.
 */
public record Traffic(long toEndpoint, long fromEndpoint) {}
