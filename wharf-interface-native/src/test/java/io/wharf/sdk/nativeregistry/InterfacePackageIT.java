package io.wharf.sdk.nativeregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.client.WharfClient;
import io.wharf.client.sdk.Discovery;
import io.wharf.client.sdk.InterfacePackage;
import io.wharf.client.sdk.Wharf;
import io.wharf.server.ServerConfig;
import io.wharf.server.WharfServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The native interface installed from its package into a class loader of its own, and unloaded. */
class InterfacePackageIT {
    @TempDir
    Path data;

    @Test
    @DisplayName("the native package works apart from the application's classes and leaves no thread when unloaded")
    void installUseUnload() throws Exception {
        Path pkg;
        try (Stream<Path> built = Files.list(Path.of("target"))) {
            pkg = built.filter(p -> p.getFileName().toString().endsWith("-package.jar"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no package jar in target/: run mvn package first"));
        }
        try (WharfServer server = WharfServer.start(ServerConfig.defaults(data).withPort(0))) {
            String token = server.adminToken().token();
            InterfacePackage installed = InterfacePackage.install(
                    pkg, InterfacePackage.sha256(pkg), URI.create(server.url()), Map.of("token", token));
            assertThat(installed.registry().getClass().getClassLoader()).isSameAs(installed.classLoader());
            assertThat(installed.classLoader().loadClass(WharfClient.class.getName()))
                    .isNotSameAs(WharfClient.class);
            Wharf sdk = Wharf.builder(server.url())
                    .registry(installed.registry())
                    .deregisterOnShutdown(false)
                    .build();
            sdk.register("orders", "127.0.72.2", 8080, "v1", Map.of());
            Discovery orders = sdk.discover("orders");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> orders.instances().size() == 1);
            assertThat(installed.threads()).isNotEmpty();

            sdk.close();
            installed.close();
            WharfClient admin = WharfClient.builder(server.url()).token(token).build();
            assertThat(admin.registry().endpoints("default", "orders").endpoints())
                    .isEmpty();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(installed.threads())
                    .extracting(Thread::getName)
                    .isEmpty());
        }
    }
}
