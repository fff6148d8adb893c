package io.wharf.sdk.nativeregistry;

import io.wharf.client.WharfClient;
import io.wharf.client.sdk.spi.RegistryInterface;
import io.wharf.client.sdk.spi.RegistryInterfaceFactory;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Opens {@link NativeRegistryInterface}s for {@code http} and {@code https} addresses. Settings: {@code token}
 * (Wharf's API), {@code instance} (default: the JVM's {@code pid@host}), {@code ttl} of registrations in
 * milliseconds (default 10,000).
 */
public final class NativeRegistryFactory implements RegistryInterfaceFactory {
    @Override
    public Set<String> schemes() {
        return Set.of("http", "https");
    }

    @Override
    public RegistryInterface open(URI address, Map<String, String> settings) {
        String server = address.getScheme() + "://" + address.getRawAuthority();
        WharfClient.Builder b = WharfClient.builder(server);
        String token = settings.get("token");
        if (token != null) b.token(token);
        String instance = settings.getOrDefault(
                "instance", ManagementFactory.getRuntimeMXBean().getName());
        Duration ttl = Duration.ofMillis(Long.parseLong(settings.getOrDefault("ttl", "10000")));
        return new NativeRegistryInterface(b.build(), instance, ttl);
    }
}
