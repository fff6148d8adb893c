package io.wharf.sdk.zookeeper;

import io.wharf.client.sdk.spi.RegistryException;
import io.wharf.client.sdk.spi.RegistryInterface;
import io.wharf.client.sdk.spi.RegistryInterfaceFactory;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * Opens {@link ZooKeeperRegistryInterface}s for {@code zookeeper://HOST:PORT[,HOST:PORT…]/BASE} addresses (base
 * path {@code /services} when the address has none). Settings: {@code sessionTimeout} in milliseconds (default
 * 15,000), {@code connectTimeout} (default 5,000: the first connection is waited for that long), {@code
 * payloadClass} (the Java class the payloads written name, for Curator readers that expect their own).
 */
public final class ZooKeeperRegistryFactory implements RegistryInterfaceFactory {
    @Override
    public Set<String> schemes() {
        return Set.of("zookeeper");
    }

    @Override
    public RegistryInterface open(URI address, Map<String, String> settings) {
        String connect = address.getRawAuthority();
        if (connect == null || connect.isEmpty()) {
            throw new RegistryException("no ensemble in " + address + " (expected: zookeeper://HOST:PORT/BASE-PATH)");
        }
        String path = address.getPath() == null
                        || address.getPath().isEmpty()
                        || address.getPath().equals("/")
                ? "/services"
                : address.getPath();
        int session = Integer.parseInt(settings.getOrDefault("sessionTimeout", "15000"));
        int connectTimeout = Integer.parseInt(settings.getOrDefault("connectTimeout", "5000"));
        // Curator's own notifier thread outlives the client it serves; this one ends with the interface
        ExecutorService notifier = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "wharf-sdk-zookeeper-notify");
            t.setDaemon(true);
            return t;
        });
        CuratorFramework curator = CuratorFrameworkFactory.builder()
                .runSafeService(notifier)
                .connectString(connect)
                .sessionTimeoutMs(session)
                .connectionTimeoutMs(connectTimeout)
                .retryPolicy(new ExponentialBackoffRetry(100, 10, 2000))
                .build();
        // told once the client's listeners have heard its first connection (see ZooKeeperRegistryInterface)
        CountDownLatch announced = new CountDownLatch(1);
        curator.getConnectionStateListenable().addListener((client, state) -> {
            if (state.isConnected()) announced.countDown();
        });
        curator.start();
        ZooKeeperRegistryInterface zk =
                new ZooKeeperRegistryInterface(curator, notifier, path, settings.get("payloadClass"), announced);
        try {
            if (!zk.awaitConnected(connectTimeout)) {
                zk.close();
                throw new RegistryException(
                        "cannot reach ZooKeeper at " + connect + " within " + connectTimeout + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            zk.close();
            throw new RegistryException("interrupted while connecting to ZooKeeper at " + connect, e);
        }
        return zk;
    }
}
