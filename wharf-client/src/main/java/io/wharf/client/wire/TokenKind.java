package io.wharf.client.wire;

/** What a token may do. The admin token, kept in the server's data directory, may do everything. */
public enum TokenKind {
    /** Joins a new host (claim 004.1), and nothing else; expires. */
    JOIN,
    /** Acts as one host: its heartbeats and assignments, its containers' endpoints; issued when it joins. */
    HOST,
    /** Reads: everything, or one namespace's services, endpoints, specs, containers and operations. */
    READ,
    /** Reads and registers within one namespace, as a service's SDK does. */
    NAMESPACE
}
