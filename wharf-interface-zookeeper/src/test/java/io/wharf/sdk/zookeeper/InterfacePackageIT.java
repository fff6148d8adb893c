package io.wharf.sdk.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.wharf.client.sdk.Discovery;
import io.wharf.client.sdk.InterfacePackage;
import io.wharf.client.sdk.Wharf;
import io.wharf.client.sdk.spi.RegistryException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The ZooKeeper interface installed from its package into a class loader of its own, and unloaded. */
class InterfacePackageIT {
    TestingServer zk;
    CuratorFramework plain;
    Path pkg;

    @BeforeEach
    void start() throws Exception {
        zk = new TestingServer(true);
        plain = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100));
        plain.start();
        try (Stream<Path> built = Files.list(Paths.get("target"))) {
            pkg = built.filter(p -> p.getFileName().toString().endsWith("-package.jar"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no package jar in target/: run mvn package first"));
        }
    }

    @AfterEach
    void stop() throws Exception {
        plain.close();
        zk.close();
    }

    @Test
    @DisplayName("a package is checked, loaded apart from the application's classes, works, and leaves no thread"
            + " behind when unloaded")
    void installUseUnload() throws Exception {
        URI address = URI.create("zookeeper://" + zk.getConnectString() + "/services");
        InterfacePackage installed = InterfacePackage.install(pkg, InterfacePackage.sha256(pkg), address, Map.of());
        // its Curator is its own, not the application's
        assertThat(installed.registry().getClass().getClassLoader()).isSameAs(installed.classLoader());
        Class<?> theirs = installed.classLoader().loadClass(CuratorFramework.class.getName());
        assertThat(theirs).isNotSameAs(CuratorFramework.class);
        // the SDK's types are shared, so the application can use the interface
        assertThat(installed.classLoader().loadClass(Wharf.class.getName())).isSameAs(Wharf.class);
        assertThat(installed.threads()).isNotEmpty();

        Wharf sdk = Wharf.builder(address.toString())
                .registry(installed.registry())
                .deregisterOnShutdown(false)
                .build();
        sdk.register("orders", "127.0.72.1", 8080, "v1", Map.of());
        assertThat(plain.checkExists().forPath("/services/orders/127.0.72.1_8080"))
                .isNotNull();
        Discovery orders = sdk.discover("orders");
        await().atMost(Duration.ofSeconds(10)).until(() -> orders.instances().size() == 1);

        sdk.close(); // closes the interface
        installed.close();
        assertThat(plain.checkExists().forPath("/services/orders/127.0.72.1_8080"))
                .isNull();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(installed.threads())
                .extracting(Thread::getName)
                .isEmpty());
    }

    @Test
    @DisplayName("a package whose sha256 is not the one expected is refused")
    void wrongDigestRefused() {
        URI address = URI.create("zookeeper://" + zk.getConnectString() + "/services");
        String wrong = "0".repeat(64);
        assertThatThrownBy(() -> InterfacePackage.install(pkg, wrong, address, Map.of()))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("expected " + wrong + ": refused");
    }
}
