package io.wharf.client.sdk.spi;

import io.wharf.client.sdk.Instance;
import java.util.List;

/**
 * How the SDK reaches one registry (claim 003.1): Wharf's own (native: REST and server-sent events) or another
 * one (ZooKeeper, through Curator's service discovery layout). An application talks to {@link
 * io.wharf.client.sdk.Wharf}; the SDK holds one or, during a migration, two of these. Implementations are safe
 * for concurrent use, keep what they registered registered (renewing leases, registering again after a
 * session was lost) until it is deregistered or the interface is closed, and keep subscriptions current
 * across broken connections.
 */
public interface RegistryInterface extends AutoCloseable {
    /** Its kind and address, for people: {@code native http://127.0.0.1:7420}, {@code zookeeper …}. */
    String describe();

    /** Registers {@code instance} and keeps it registered until the returned handle is closed. */
    Registered register(Instance instance) throws RegistryException;

    /**
     * Follows a service: {@code listener} gets its whole list of instances now (as soon as it is known) and
     * after every change, one call at a time, in order.
     */
    Subscription subscribe(String namespace, String service, Listener listener);

    /** Deregisters what it registered, ends its subscriptions and lets go of its connections. */
    @Override
    void close();

    /** What a subscription tells. */
    interface Listener {
        /** The service's instances now. */
        void instances(List<Instance> instances);
    }

    /** An instance kept registered; closing it deregisters it. */
    interface Registered extends AutoCloseable {
        Instance instance();

        @Override
        void close();
    }

    /** A service followed; closing it stops following. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
