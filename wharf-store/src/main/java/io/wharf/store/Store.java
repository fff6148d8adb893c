package io.wharf.store;

import io.wharf.core.ConflictException;
import io.wharf.core.NotFoundException;
import io.wharf.core.registry.ServiceKey;
import java.util.List;
import java.util.Optional;

/**
 * What the control plane keeps across restarts. Implementations are safe for concurrent use and may be
 * shared by several servers (PostgreSQL, MariaDB), so every operation is atomic on its own.
 */
public interface Store extends AutoCloseable {
    /**
     * Creates a namespace.
     *
     * @throws ConflictException if it exists
     */
    NamespaceRecord createNamespace(String name);

    /** The namespace called {@code name}, if it exists. */
    Optional<NamespaceRecord> namespace(String name);

    /** Every namespace, by name. */
    List<NamespaceRecord> namespaces();

    /**
     * Creates the service if it does not exist yet.
     *
     * @return true if this call created it
     * @throws NotFoundException if its namespace does not exist
     */
    boolean ensureService(ServiceKey key);

    /** The services of one namespace, by name. */
    List<ServiceRecord> services(String namespace);

    /** Every service of every namespace, by namespace then name. */
    List<ServiceRecord> allServices();

    /**
     * Raises the stored revision ceiling by {@code step} and returns the new ceiling. Revisions below a
     * ceiling that a call returned are never handed out again, by any server, after any restart.
     */
    long reserveRevisions(long step);

    /** Images, specs, hosts and containers. */
    ClusterStore cluster();

    /** Long operations: releases, scale-out tasks. */
    OperationStore operations();

    /** Tokens other than the admin's. */
    TokenStore tokens();

    /** The autoscaler's decisions. */
    AutoscaleStore autoscale();

    /** The results of requests that went through fair intakes. */
    IntakeResultStore intakeResults();

    /** A short description of where the data lives, without credentials, for logs. */
    String describe();

    @Override
    void close();
}
