package io.wharf.server;

import static java.util.Objects.requireNonNull;

import io.wharf.core.InvalidInputException;
import io.wharf.server.registry.RegistryConfig;
import io.wharf.store.StoreSync;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How to run a server.
 *
 * @param host the address the API listens on
 * @param port the API port, 0 for any free one
 * @param dataDir where the embedded database and the admin token live
 * @param storeUrl a JDBC URL of PostgreSQL or MariaDB/MySQL, or empty for the embedded H2 database
 * @param storeSync when the embedded database acknowledges a write (default: once fsynced)
 * @param registry the registry's tunables
 * @param keepAlive how often an idle event stream gets a keep-alive comment
 * @param scanInterval how often open scale-out tasks are scanned (claim 000.4: 1–5 s, default 3 s)
 * @param scaleOutParallelism how many services of a scale-out task are created at once (default 32)
 */
public record ServerConfig(
        String host,
        int port,
        Path dataDir,
        Optional<String> storeUrl,
        StoreSync storeSync,
        RegistryConfig registry,
        Duration keepAlive,
        Duration scanInterval,
        int scaleOutParallelism) {
    /** The default API port. */
    public static final int DEFAULT_PORT = 7420;

    public ServerConfig {
        requireNonNull(host, "host");
        requireNonNull(dataDir, "dataDir");
        requireNonNull(storeUrl, "storeUrl");
        requireNonNull(storeSync, "storeSync");
        requireNonNull(registry, "registry");
        requireNonNull(keepAlive, "keepAlive");
        requireNonNull(scanInterval, "scanInterval");
        if (scanInterval.compareTo(Duration.ofSeconds(1)) < 0 || scanInterval.compareTo(Duration.ofSeconds(5)) > 0) {
            throw InvalidInputException.of("scan-interval", scanInterval.toMillis() + " ms (expected: 1s..5s)");
        }
        if (scaleOutParallelism < 1 || scaleOutParallelism > 1000) {
            throw InvalidInputException.of("scale-out-parallelism", scaleOutParallelism + " (expected: 1..1000)");
        }
        if (port < 0 || port > 65535) {
            throw InvalidInputException.of("port", port + " (expected: 0..65535)");
        }
    }

    /**
     * Defaults: 127.0.0.1:7420, embedded store in {@code dataDir}; an idle event stream gets a keep-alive every
     * 2 s, which is also how soon a closed one is noticed.
     */
    public static ServerConfig defaults(Path dataDir) {
        return new ServerConfig(
                "127.0.0.1",
                DEFAULT_PORT,
                dataDir,
                Optional.empty(),
                StoreSync.FSYNC,
                RegistryConfig.defaults(),
                Duration.ofSeconds(2),
                Duration.ofSeconds(3),
                32);
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(
                host, newPort, dataDir, storeUrl, storeSync, registry, keepAlive, scanInterval, scaleOutParallelism);
    }

    public ServerConfig withHost(String newHost) {
        return new ServerConfig(
                newHost, port, dataDir, storeUrl, storeSync, registry, keepAlive, scanInterval, scaleOutParallelism);
    }

    public ServerConfig withStoreUrl(Optional<String> url) {
        return new ServerConfig(
                host, port, dataDir, url, storeSync, registry, keepAlive, scanInterval, scaleOutParallelism);
    }

    public ServerConfig withStoreSync(StoreSync sync) {
        return new ServerConfig(
                host, port, dataDir, storeUrl, sync, registry, keepAlive, scanInterval, scaleOutParallelism);
    }

    public ServerConfig withRegistry(RegistryConfig newRegistry) {
        return new ServerConfig(
                host, port, dataDir, storeUrl, storeSync, newRegistry, keepAlive, scanInterval, scaleOutParallelism);
    }

    public ServerConfig withKeepAlive(Duration newKeepAlive) {
        return new ServerConfig(
                host, port, dataDir, storeUrl, storeSync, registry, newKeepAlive, scanInterval, scaleOutParallelism);
    }

    public ServerConfig withScaleOutParallelism(int n) {
        return new ServerConfig(host, port, dataDir, storeUrl, storeSync, registry, keepAlive, scanInterval, n);
    }

    public ServerConfig withScanInterval(Duration interval) {
        return new ServerConfig(
                host, port, dataDir, storeUrl, storeSync, registry, keepAlive, interval, scaleOutParallelism);
    }
}
