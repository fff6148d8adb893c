package io.wharf.sdk.nativeregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.wharf.client.WharfClient;
import io.wharf.client.sdk.Discovery;
import io.wharf.client.sdk.Instance;
import io.wharf.client.sdk.Registration;
import io.wharf.client.sdk.Rule;
import io.wharf.client.sdk.Wharf;
import io.wharf.client.sdk.spi.RegistryException;
import io.wharf.client.wire.CreateToken;
import io.wharf.client.wire.RegisteredBy;
import io.wharf.server.ServerConfig;
import io.wharf.server.WharfServer;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK over the native interface, against a real server (claim 003.1). */
class NativeRegistryIT {
    @TempDir
    Path data;

    WharfServer server;
    String token;
    final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void start() {
        server = WharfServer.start(ServerConfig.defaults(data).withPort(0).withKeepAlive(Duration.ofMillis(200)));
        token = server.adminToken().token();
    }

    @AfterEach
    void stop() throws Exception {
        Collections.reverse(closing);
        for (AutoCloseable c : closing) c.close();
        server.close();
    }

    Wharf sdk(String url, String name) {
        Wharf w = Wharf.builder(url)
                .token(token)
                .instanceName(name)
                .setting("ttl", "2000")
                .deregisterOnShutdown(false)
                .build();
        closing.add(w);
        return w;
    }

    static List<String> ids(List<Instance> instances) {
        return instances.stream().map(Instance::id).sorted().collect(Collectors.toList());
    }

    @Test
    @DisplayName("a provider registers through the interface found by the address's scheme; a consumer's view"
            + " follows it, listeners in order, and picks by its rule; closing deregisters")
    void registerAndDiscover() throws Exception {
        Wharf provider = sdk(server.url(), "provider");
        Wharf consumer = sdk(server.url(), "consumer");
        assertThat(provider.registry().describe()).isEqualTo("native " + server.url());

        Discovery orders = consumer.discover("orders", Rule.ROUND_ROBIN);
        assertThat(orders.awaitKnown(Duration.ofSeconds(5))).isTrue();
        assertThat(orders.instances()).isEmpty();
        assertThat(orders.pick()).isEmpty();
        List<List<String>> seen = Collections.synchronizedList(new ArrayList<>());
        List<List<String>> seenSecond = Collections.synchronizedList(new ArrayList<>());
        orders.addListener(l -> seen.add(ids(l)));
        orders.addListener(l -> seenSecond.add(ids(l)));

        Registration a = provider.register("orders", "127.0.70.1", 8080, "v1", Map.of("zone", "a"));
        Registration b = provider.register("orders", "127.0.70.2", 8080, "v1", Map.of());
        await().atMost(Duration.ofSeconds(5)).until(() -> orders.instances().size() == 2);
        Instance first = orders.instances().get(0);
        assertThat(first.version()).isEqualTo("v1");
        assertThat(first.metadata()).containsEntry("zone", "a");
        assertThat(first.up()).isTrue();
        assertThat(WharfClient.builder(server.url())
                        .token(token)
                        .build()
                        .registry()
                        .endpoints("default", "orders")
                        .endpoints()
                        .get(0)
                        .registeredBy())
                .isEqualTo(RegisteredBy.SDK);
        // round robin over both
        assertThat(List.of(orders.pick().get().id(), orders.pick().get().id()))
                .containsExactlyInAnyOrder("127.0.70.1_8080", "127.0.70.2_8080");

        a.close();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> ids(orders.instances()).equals(List.of("127.0.70.2_8080")));
        assertThat(orders.pick().get().id()).isEqualTo("127.0.70.2_8080");
        // every list, whole, in order, the same for both listeners
        assertThat(seen)
                .containsExactly(
                        List.of(),
                        List.of("127.0.70.1_8080"),
                        List.of("127.0.70.1_8080", "127.0.70.2_8080"),
                        List.of("127.0.70.2_8080"));
        assertThat(seenSecond).isEqualTo(seen);
        // the consumer's view is an acknowledging watcher, so drains wait for it
        var registry = WharfClient.builder(server.url()).token(token).build().registry();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> registry.watchers("default", "orders", java.util.Optional.empty())
                        .pending()
                        .isEmpty());
        // it acknowledges what takes endpoints away, not registrations: nothing waits on those
        long removed = registry.watchers("default", "orders", java.util.Optional.empty())
                .revision();
        Registration c = provider.register("orders", "127.0.70.3", 8080, "v1", Map.of());
        await().atMost(Duration.ofSeconds(5)).until(() -> orders.instances().size() == 2);
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(2))
                .until(() -> acknowledged(registry) == removed);
        c.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> acknowledged(registry) > removed + 1);
        b.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> orders.instances().isEmpty());
    }

    @Test
    @DisplayName("views are followed on the HTTP client's threads, not a thread each; an instance the registry did"
            + " not change is the same object in the next list")
    void viewsShareThreadsAndKeepUnchangedInstances() throws Exception {
        Wharf provider = sdk(server.url(), "provider");
        Wharf consumer = sdk(server.url(), "consumer");
        Discovery first = consumer.discover("svc-0");
        assertThat(first.awaitKnown(Duration.ofSeconds(10))).isTrue();
        int before = ManagementFactory.getThreadMXBean().getThreadCount();
        int views = 200;
        List<Discovery> all = new ArrayList<>();
        for (int v = 1; v < views; v++) all.add(consumer.discover("svc-" + v));
        for (Discovery d : all) assertThat(d.awaitKnown(Duration.ofSeconds(30))).isTrue();
        // a thread each would be 199 more
        assertThat(ManagementFactory.getThreadMXBean().getThreadCount() - before)
                .isLessThan(views / 2);

        provider.register("svc-0", "127.0.71.1", 8080, "v1", Map.of("zone", "a"));
        await().atMost(Duration.ofSeconds(5)).until(() -> first.instances().size() == 1);
        Instance kept = first.instances().get(0);
        provider.register("svc-0", "127.0.71.2", 8080, "v1", Map.of());
        await().atMost(Duration.ofSeconds(5)).until(() -> first.instances().size() == 2);
        assertThat(first.instances().get(0)).isSameAs(kept);
        provider.register("svc-0", "127.0.71.1", 8080, "v2", Map.of("zone", "a"));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> first.instances().get(0).version().equals("v2"));
        assertThat(first.instances().get(1).id()).isEqualTo("127.0.71.2_8080");
    }

    @Test
    @DisplayName("the lease is renewed while the process lives; an endpoint deregistered by someone else comes back; a"
            + " lease the server lost is granted again with every registration on it")
    void leaseRenewedAndRegainedAfterLoss() throws Exception {
        Wharf provider = sdk(server.url(), "provider");
        provider.register("orders", "127.0.70.3", 8080, "v1", Map.of());
        WharfClient admin = WharfClient.builder(server.url()).token(token).build();
        String lease = admin.registry()
                .endpoint("default", "orders", "127.0.70.3_8080")
                .lease();
        // three times its 2 s to live, and still there on the same lease: renewed, not regained
        await().pollDelay(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(8)).until(() -> admin.registry()
                .endpoint("default", "orders", "127.0.70.3_8080")
                .lease()
                .equals(lease));
        // taken out of the registry by someone else: put back on the next renewal
        admin.registry().deregister("default", "orders", "127.0.70.3_8080");
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> admin.registry()
                .endpoint("default", "orders", "127.0.70.3_8080")
                .lease()
                .equals(lease));
        admin.registry().revokeLease(lease);
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> !admin.registry()
                .endpoint("default", "orders", "127.0.70.3_8080")
                .lease()
                .equals(lease));
    }

    @Test
    @DisplayName("while the server is out of reach the view keeps its instances; back, it resumes from the revision it"
            + " had: no change missed, none told twice")
    void cacheAndResume() throws Exception {
        Relay relay = new Relay(server.port());
        closing.add(relay);
        Wharf consumer = sdk("http://127.0.0.1:" + relay.port(), "consumer");
        Wharf provider = sdk(server.url(), "provider");
        provider.register("orders", "127.0.70.4", 8080, "v1", Map.of());
        Discovery orders = consumer.discover("orders");
        List<List<String>> seen = Collections.synchronizedList(new ArrayList<>());
        orders.addListener(l -> seen.add(ids(l)));
        await().atMost(Duration.ofSeconds(5)).until(() -> orders.instances().size() == 1);

        relay.down();
        Registration second = provider.register("orders", "127.0.70.5", 8080, "v1", Map.of());
        // away: the view serves what it knew
        assertThat(ids(orders.instances())).containsExactly("127.0.70.4_8080");
        assertThat(orders.pick()).isPresent();
        second.close();
        provider.register("orders", "127.0.70.6", 8080, "v1", Map.of());
        relay.up();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ids(orders.instances()).equals(List.of("127.0.70.4_8080", "127.0.70.6_8080")));
        // the changes while away come as they were made, after the ones before, none twice
        assertThat(seen)
                .containsExactly(
                        List.of("127.0.70.4_8080"),
                        List.of("127.0.70.4_8080", "127.0.70.5_8080"),
                        List.of("127.0.70.4_8080"),
                        List.of("127.0.70.4_8080", "127.0.70.6_8080"));
    }

    @Test
    @DisplayName("across a restart of the server the view never goes empty: its registry fills again as providers"
            + " renew, and only a service still empty after one lease time is taken for gone")
    void restartDoesNotEmptyTheView() throws Exception {
        int port = server.port();
        Wharf provider = sdk(server.url(), "provider");
        Wharf consumer = sdk(server.url(), "consumer");
        Registration kept = provider.register("orders", "127.0.70.8", 8080, "v1", Map.of());
        Discovery orders = consumer.discover("orders");
        List<List<String>> seen = Collections.synchronizedList(new ArrayList<>());
        orders.addListener(l -> seen.add(ids(l)));
        await().atMost(Duration.ofSeconds(5)).until(() -> orders.instances().size() == 1);

        server.close();
        server = WharfServer.start(ServerConfig.defaults(data).withPort(port).withKeepAlive(Duration.ofMillis(200)));
        // the provider's renewal finds its lease gone and registers again on a new one
        var registry = WharfClient.builder(server.url()).token(token).build().registry();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> registry.endpoints("default", "orders").endpoints().size() == 1);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> registry.watchers("default", "orders", java.util.Optional.empty()).watchers().stream()
                        .anyMatch(w -> w.connected() && w.acknowledges()));
        assertThat(seen).doesNotContain(List.of()).last().isEqualTo(List.of("127.0.70.8_8080"));

        // a provider gone while the server was down does not come back: after one lease time the view is empty
        server.close();
        kept.close();
        server = WharfServer.start(ServerConfig.defaults(data).withPort(port).withKeepAlive(Duration.ofMillis(200)));
        await().atMost(Duration.ofSeconds(15)).until(() -> orders.instances().isEmpty());
        assertThat(orders.pick()).isEmpty();
    }

    @Test
    @DisplayName("a namespace token is enough for a provider and a consumer of its namespace")
    void namespaceToken() throws Exception {
        String scoped = WharfClient.builder(server.url())
                .token(token)
                .build()
                .cluster()
                .createToken(new CreateToken("namespace", "default", null))
                .token();
        token = scoped;
        Wharf provider = sdk(server.url(), "provider");
        Wharf consumer = sdk(server.url(), "consumer");
        provider.register("orders", "127.0.70.7", 8080, "v1", Map.of());
        Discovery orders = consumer.discover("orders");
        await().atMost(Duration.ofSeconds(5)).until(() -> orders.instances().size() == 1);
        // acknowledged, so drains wait for this view and no longer
        await().atMost(Duration.ofSeconds(5)).until(() -> WharfClient.builder(server.url())
                .token(server.adminToken().token())
                .build()
                .registry()
                .watchers("default", "orders", java.util.Optional.empty())
                .pending()
                .isEmpty());
    }

    @Test
    @DisplayName("an address no interface jar takes is refused naming the jar to add")
    void unknownScheme() {
        assertThatThrownBy(() -> Wharf.builder("etcd://127.0.0.1:2379/services").build())
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("add io.wharf:wharf-interface-etcd to the class path")
                .hasMessageContaining("found only [http, https, zookeeper]");
    }

    /** The revision the one SDK view of {@code orders} acknowledged last. */
    static long acknowledged(io.wharf.client.RegistryApi registry) {
        return registry.watchers("default", "orders", java.util.Optional.empty()).watchers().stream()
                .filter(w -> w.acknowledges())
                .mapToLong(w -> w.acknowledged())
                .max()
                .orElse(-1);
    }
}
