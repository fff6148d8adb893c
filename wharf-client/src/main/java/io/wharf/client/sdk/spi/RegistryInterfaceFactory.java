package io.wharf.client.sdk.spi;

import java.net.URI;
import java.util.Map;

/**
 * Opens {@link RegistryInterface}s for the addresses of one scheme; found through {@link java.util.ServiceLoader}
 * in the jar that implements the interface ({@code META-INF/services/io.wharf.client.sdk.spi.RegistryInterfaceFactory}).
 */
public interface RegistryInterfaceFactory {
    /** The address schemes it opens: {@code http} and {@code https} for the native one, {@code zookeeper}. */
    java.util.Set<String> schemes();

    /**
     * Opens an interface to the registry at {@code address}.
     *
     * @param settings what else it may need: {@code token} (Wharf's API), {@code instance} (how this process is
     *     known among watchers)
     */
    RegistryInterface open(URI address, Map<String, String> settings);
}
