package io.wharf.sdk.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.client.sdk.Discovery;
import io.wharf.client.sdk.Instance;
import io.wharf.client.sdk.Registration;
import io.wharf.client.sdk.Wharf;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceDiscoveryBuilder;
import org.apache.curator.x.discovery.ServiceInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The SDK over ZooKeeper, beside applications that use Curator's service discovery directly. */
class ZooKeeperRegistryIT {
    TestingServer zk;
    CuratorFramework plainClient;
    ServiceDiscovery<DubboStyle> plain;

    /** The payload of Dubbo's Curator-based registry: an application that knows nothing of Wharf. */
    public static final class DubboStyle {
        public String id;
        public String name;
        public Map<String, String> metadata;
    }

    final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        zk = new TestingServer(true);
        plainClient = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100));
        plainClient.start();
        // Curator's own discovery with its default serializer
        plain = ServiceDiscoveryBuilder.builder(DubboStyle.class)
                .client(plainClient)
                .basePath("/services")
                .build();
        plain.start();
    }

    @AfterEach
    void stop() throws Exception {
        Collections.reverse(closing);
        for (AutoCloseable c : closing) c.close();
        plain.close();
        plainClient.close();
        zk.close();
    }

    Wharf sdk() {
        Wharf w = Wharf.builder("zookeeper://" + zk.getConnectString() + "/services")
                .setting("payloadClass", DubboStyle.class.getName())
                .deregisterOnShutdown(false)
                .build();
        closing.add(w);
        return w;
    }

    static List<String> ids(Collection<Instance> instances) {
        return instances.stream().map(Instance::id).sorted().collect(Collectors.toList());
    }

    @Test
    @DisplayName("what the SDK registers, a plain Curator client finds; what a plain Curator client registers, the"
            + " SDK's view finds; closing deregisters")
    void curatorClientsSeeEachOther() throws Exception {
        Wharf provider = sdk();
        assertThat(provider.registry().describe()).isEqualTo("zookeeper " + zk.getConnectString() + "/services");
        Registration a = provider.register("orders", "127.0.71.1", 8080, "v2", Map.of("zone", "a"));

        Collection<ServiceInstance<DubboStyle>> found = plain.queryForInstances("orders");
        assertThat(found).hasSize(1);
        ServiceInstance<DubboStyle> si = found.iterator().next();
        assertThat(si.getAddress()).isEqualTo("127.0.71.1");
        assertThat(si.getPort()).isEqualTo(8080);
        assertThat(si.getId()).isEqualTo("127.0.71.1_8080");
        assertThat(si.getPayload().metadata).containsEntry("zone", "a").containsEntry("version", "v2");

        plain.registerService(ServiceInstance.<DubboStyle>builder()
                .name("orders")
                .id("legacy-1")
                .address("127.0.71.2")
                .port(9090)
                .build());
        Wharf consumer = sdk();
        Discovery orders = consumer.discover("orders");
        List<List<String>> seen = Collections.synchronizedList(new ArrayList<>());
        orders.addListener(l -> seen.add(ids(l)));
        await().atMost(Duration.ofSeconds(10)).until(() -> orders.instances().size() == 2);
        Instance mine = orders.instances().stream()
                .filter(i -> i.port() == 8080)
                .findFirst()
                .orElseThrow();
        assertThat(mine.version()).isEqualTo("v2");
        assertThat(mine.metadata()).containsEntry("zone", "a");
        Instance legacy = orders.instances().stream()
                .filter(i -> i.port() == 9090)
                .findFirst()
                .orElseThrow();
        assertThat(legacy.version()).isEmpty();
        assertThat(legacy.weight()).isEqualTo(100);
        assertThat(legacy.up()).isTrue();

        a.close();
        assertThat(plain.queryForInstances("orders"))
                .extracting(ServiceInstance::getId)
                .containsExactly("legacy-1");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ids(orders.instances()).equals(List.of("127.0.71.2_9090")));
        assertThat(orders.pick().orElseThrow().port()).isEqualTo(9090);
        // each list whole; the last one is what is there now
        assertThat(seen.get(seen.size() - 1)).containsExactly("127.0.71.2_9090");
    }

    @Test
    @DisplayName("an instance whose payload names a class the SDK cannot load (Dubbo's) is read all the same")
    void foreignPayloadClass() throws Exception {
        String dubbo = "{\"name\":\"orders\",\"id\":\"d-1\",\"address\":\"127.0.71.4\",\"port\":20880,"
                + "\"sslPort\":null,\"payload\":{\"@class\":\"org.apache.dubbo.registry.zookeeper.ZookeeperInstance\","
                + "\"id\":\"d-1\",\"name\":\"orders\",\"metadata\":{\"version\":\"2.7\",\"side\":\"provider\"}},"
                + "\"registrationTimeUTC\":1,\"serviceType\":\"DYNAMIC\",\"uriSpec\":null}";
        plainClient.create().creatingParentsIfNeeded().forPath("/services/orders/d-1", dubbo.getBytes("UTF-8"));
        Discovery orders = sdk().discover("orders");
        await().atMost(Duration.ofSeconds(10)).until(() -> orders.instances().size() == 1);
        Instance d = orders.instances().get(0);
        assertThat(d.id()).isEqualTo("127.0.71.4_20880");
        assertThat(d.version()).isEqualTo("2.7");
        assertThat(d.metadata()).containsEntry("side", "provider");
    }

    @Test
    @DisplayName("another namespace lives beside the base path; closing the SDK removes its instances from ZooKeeper")
    void namespacesAndClose() throws Exception {
        Wharf shop = Wharf.builder("zookeeper://" + zk.getConnectString() + "/services")
                .namespace("shop")
                .deregisterOnShutdown(false)
                .build();
        shop.register("cart", "127.0.71.3", 8080, "v1", Map.of());
        assertThat(plainClient.checkExists().forPath("/services.shop/cart/127.0.71.3_8080"))
                .isNotNull();
        assertThat(plain.queryForInstances("cart")).isEmpty();
        shop.close();
        assertThat(plainClient.checkExists().forPath("/services.shop/cart/127.0.71.3_8080"))
                .isNull();
    }
}
