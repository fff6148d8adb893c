package io.wharf.sdk.nativeregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.wharf.client.WharfClient;
import io.wharf.client.sdk.Discovery;
import io.wharf.client.sdk.Instance;
import io.wharf.client.sdk.Wharf;
import io.wharf.client.wire.ClientInfo;
import io.wharf.client.wire.ClientReport;
import io.wharf.server.ServerConfig;
import io.wharf.server.WharfServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider and a consumer moved from ZooKeeper to Wharf's registry in place (claims 003.4–003.6), by the SDK's
 * own moves — attach the new interface beside the old, compare, promote it, detach the old — while the consumer
 * picks all the time.
 */
class SwitchInterfacesIT {
    @TempDir
    Path data;

    static Set<String> ids(List<Instance> instances) {
        return instances.stream().map(Instance::id).collect(Collectors.toSet());
    }

    @Test
    @DisplayName("registered through both, compared, switched, the old one unloaded: not one pick without a provider")
    void zooKeeperToNative() throws Exception {
        try (TestingServer zk = new TestingServer(true);
                WharfServer server =
                        WharfServer.start(ServerConfig.defaults(data).withPort(0));
                CuratorFramework plain =
                        CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100))) {
            plain.start();
            String zkAddress = "zookeeper://" + zk.getConnectString() + "/services";
            String token = server.adminToken().token();
            Wharf provider =
                    Wharf.builder(zkAddress).deregisterOnShutdown(false).build();
            // the consumer tells the Wharf server what it uses, every second
            Wharf consumer = Wharf.builder(zkAddress)
                    .controlServer(server.url())
                    .token(token)
                    .instanceName("consumer-1")
                    .deregisterOnShutdown(false)
                    .build();
            assertThat(provider.interfaces()).containsExactly("zookeeper");
            provider.register("orders", "127.0.73.1", 8080, "v1", Map.of());
            provider.register("orders", "127.0.73.2", 8080, "v1", Map.of());
            Discovery orders = consumer.discover("orders");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> orders.instances().size() == 2);

            // the consumer calls all the time; a pick with no provider would be a failed call
            AtomicBoolean calling = new AtomicBoolean(true);
            AtomicInteger calls = new AtomicInteger();
            List<String> failed = new ArrayList<>();
            Thread caller = new Thread(() -> {
                while (calling.get()) {
                    if (orders.pick().isEmpty()) {
                        synchronized (failed) {
                            failed.add("no provider after " + calls.get() + " calls");
                        }
                    }
                    calls.incrementAndGet();
                    java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                }
            });
            caller.start();

            // 003.4: the new interface beside the old; the providers register through both
            provider.attach(
                    "native",
                    Wharf.open(
                            java.net.URI.create(server.url()),
                            Map.of("token", token),
                            getClass().getClassLoader()));
            WharfClient admin = WharfClient.builder(server.url()).token(token).build();
            assertThat(admin.registry().endpoints("default", "orders").endpoints())
                    .hasSize(2);
            consumer.attach(
                    "native",
                    Wharf.open(
                            java.net.URI.create(server.url()),
                            Map.of("token", token),
                            getClass().getClassLoader()));
            assertThat(consumer.interfaces()).containsExactly("zookeeper", "native");
            // 003.5: both say the same
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                Map<String, List<Instance>> by = orders.byInterface();
                return by.size() == 2 && ids(by.get("native")).equals(ids(by.get("zookeeper")));
            });
            assertThat(ids(orders.byInterface().get("native")))
                    .containsExactlyInAnyOrder("127.0.73.1_8080", "127.0.73.2_8080");
            // and the server sees it: both interfaces, each showing it both providers
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                List<ClientInfo> clients = admin.registry().clients("default");
                assertThat(clients).extracting(ClientInfo::instance).containsExactly("consumer-1");
                ClientReport r = clients.get(0).report();
                assertThat(r.interfaces()).containsExactly("zookeeper", "native");
                assertThat(r.primary()).isEqualTo("zookeeper");
                assertThat(r.follows()).containsEntry("orders", Map.of("native", 2, "zookeeper", 2));
            });
            // a consumer may not let go of the interface it picks from
            assertThatThrownBy(() -> consumer.detach("zookeeper")).hasMessageContaining("promote another first");

            // switch, then 003.6: the old one unloaded, consumers first, then providers
            consumer.promote("native");
            assertThat(consumer.primary()).isEqualTo("native");
            consumer.detach("zookeeper");
            assertThat(plain.checkExists().forPath("/services/orders/127.0.73.1_8080"))
                    .isNotNull();
            provider.promote("native");
            provider.detach("zookeeper");
            assertThat(plain.checkExists().forPath("/services/orders/127.0.73.1_8080"))
                    .isNull();
            assertThat(provider.interfaces()).containsExactly("native");

            // what the consumer picks from now follows Wharf's registry alone
            provider.register("orders", "127.0.73.3", 8080, "v1", Map.of());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> orders.instances().size() == 3);
            calling.set(false);
            caller.join();
            assertThat(calls.get()).isGreaterThan(100);
            assertThat(failed).isEmpty();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                            admin.registry().clients("default").get(0).report().interfaces())
                    .containsExactly("native"));
            consumer.close();
            assertThat(admin.registry().clients("default")).isEmpty();
            provider.close();
            assertThat(admin.registry().endpoints("default", "orders").endpoints())
                    .isEmpty();
        }
    }
}
