package io.wharf.sdk.broken;

import io.wharf.client.sdk.Instance;
import io.wharf.client.sdk.spi.RegistryInterface;
import io.wharf.client.sdk.spi.RegistryInterfaceFactory;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A broken registry interface for the tests, packaged on its own: it says it registered and subscribed, but
 * registers nothing and shows no instances — what a migration must catch before any call goes through it.
 */
public final class NothingRegistryFactory implements RegistryInterfaceFactory {
    @Override
    public Set<String> schemes() {
        return Set.of("http", "https");
    }

    @Override
    public RegistryInterface open(URI address, Map<String, String> settings) {
        return new RegistryInterface() {
            @Override
            public String describe() {
                return "nothing " + address;
            }

            @Override
            public Registered register(Instance instance) {
                return new Registered() {
                    @Override
                    public Instance instance() {
                        return instance;
                    }

                    @Override
                    public void close() {}
                };
            }

            @Override
            public Subscription subscribe(String namespace, String service, Listener listener) {
                listener.instances(List.of());
                return () -> {};
            }

            @Override
            public void close() {}
        };
    }
}
