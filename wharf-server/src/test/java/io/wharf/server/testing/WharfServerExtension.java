package io.wharf.server.testing;

import io.wharf.server.ServerConfig;
import io.wharf.server.WharfServer;
import io.wharf.server.registry.RegistryConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Starts a real server on a free port with a fresh data directory for each test, and stops it after. */
public final class WharfServerExtension implements BeforeEachCallback, AfterEachCallback {
    private final UnaryOperator<RegistryConfig> registry;
    private Path dataDir;
    private WharfServer server;

    public WharfServerExtension() {
        this(UnaryOperator.identity());
    }

    public WharfServerExtension(UnaryOperator<RegistryConfig> registry) {
        this.registry = registry;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dataDir = Files.createTempDirectory("wharf-it-");
        start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stop();
    }

    private ServerConfig config() {
        return ServerConfig.defaults(dataDir)
                .withPort(0)
                .withRegistry(registry.apply(RegistryConfig.defaults()))
                .withKeepAlive(Duration.ofMillis(200));
    }

    /** Starts the server again on the same data directory. */
    public void start() {
        server = WharfServer.start(config());
    }

    public void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    public WharfServer server() {
        return server;
    }

    public Http http() {
        return new Http(server.url(), server.adminToken().token());
    }
}
