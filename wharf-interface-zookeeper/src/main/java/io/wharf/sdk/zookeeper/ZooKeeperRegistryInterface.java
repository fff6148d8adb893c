package io.wharf.sdk.zookeeper;

import io.wharf.client.sdk.Instance;
import io.wharf.client.sdk.spi.RegistryException;
import io.wharf.client.sdk.spi.RegistryInterface;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.x.discovery.ServiceCache;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceDiscoveryBuilder;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.curator.x.discovery.details.ServiceCacheListener;
import org.jspecify.annotations.Nullable;

/**
 * The SDK's interface to a ZooKeeper registry, in the layout of Curator's service discovery: an ephemeral node
 * {@code BASE/SERVICE/ID} per instance holding Curator's JSON {@code ServiceInstance} (address, port, enabled,
 * a payload), so that applications using Curator's {@code ServiceDiscovery} see the instances registered here
 * and the other way round. The namespace {@code default} lives at the base path; another namespace {@code NS}
 * at {@code BASE.NS}. The payload this interface writes has the shape of Dubbo's {@code ZookeeperInstance}:
 * {@code {"id","name","metadata"}}, the instance's version and weight among its metadata ({@code version},
 * {@code weight}); instances registered by others are read with whatever payload they have.
 * Curator registers the instances again after a lost session; subscriptions follow Curator's service cache.
 */
public final class ZooKeeperRegistryInterface implements RegistryInterface {
    private static final System.Logger log = System.getLogger(ZooKeeperRegistryInterface.class.getName());

    /** The metadata keys that carry an instance's version and weight. */
    static final String VERSION = "version";

    static final String WEIGHT = "weight";

    private final CuratorFramework curator;
    private final ExecutorService notifier;
    private final String connect;
    private final String basePath;
    private final CuratorJson json;

    @SuppressWarnings("rawtypes")
    private final Map<String, ServiceDiscovery<Map>> discoveries = new ConcurrentHashMap<>();

    private volatile boolean closed;
    private final CountDownLatch announced;

    /**
     * @param curator a started client; this interface closes it
     * @param notifier the client's notifier ({@code runSafeService}); this interface shuts it down
     * @param basePath the base path of the namespace {@code default}, e.g. {@code /services}
     * @param payloadClass the Java class named in the payloads it writes, for readers that expect theirs (e.g.
     *     {@code org.apache.dubbo.registry.zookeeper.ZookeeperInstance}); Curator's own if null
     * @param announced counted down by a connection state listener added before the client started, once it
     *     has heard the first connection
     */
    public ZooKeeperRegistryInterface(
            CuratorFramework curator,
            ExecutorService notifier,
            String basePath,
            @Nullable String payloadClass,
            CountDownLatch announced) {
        this.announced = announced;
        this.notifier = notifier;
        this.json = new CuratorJson(payloadClass);
        this.curator = curator;
        this.connect = curator.getZookeeperClient().getCurrentConnectionString();
        this.basePath = basePath;
    }

    @Override
    public String describe() {
        return "zookeeper " + connect + basePath;
    }

    /** Where a namespace's services live. */
    String basePath(String namespace) {
        return namespace.equals("default") ? basePath : basePath + "." + namespace;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private ServiceDiscovery<Map> discovery(String namespace) {
        return discoveries.computeIfAbsent(namespace, ns -> {
            // Curator's discovery registers its instances again on every CONNECTED event it hears, deleting and
            // creating each node: started before the client's first connection has been announced to its
            // listeners, it would do so right after the first registration, and a reader in between would miss
            // the instance. Being connected is not enough: the announcement comes later, from the client's event
            // thread (on a busy host, visibly later). Started once a listener added before the client's start has
            // heard it, it hears only reconnections. (ZooKeeper away: started anyway, after the client's
            // connection timeout.)
            try {
                announced.await(curator.getZookeeperClient().getConnectionTimeoutMs(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ServiceDiscovery<Map> d = ServiceDiscoveryBuilder.builder(Map.class)
                    .client(curator)
                    .basePath(basePath(ns))
                    .serializer(json)
                    .build();
            try {
                d.start();
            } catch (Exception e) {
                throw new RegistryException("cannot start service discovery at " + basePath(ns) + ": " + e, e);
            }
            return d;
        });
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Registered register(Instance instance) {
        if (closed) throw new IllegalStateException("closed");
        // the shape of Dubbo's ZookeeperInstance payload, which Map payloads read too
        Map<String, String> metadata = new LinkedHashMap<>(instance.metadata());
        metadata.put(VERSION, instance.version());
        metadata.put(WEIGHT, Integer.toString(instance.weight()));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", instance.id());
        payload.put("name", instance.service());
        payload.put("metadata", metadata);
        ServiceInstance<Map> si;
        try {
            si = ServiceInstance.<Map>builder()
                    .name(instance.service())
                    .id(instance.id())
                    .address(instance.ip())
                    .port(instance.port())
                    .enabled(instance.up())
                    .payload(payload)
                    .build();
        } catch (Exception e) {
            throw new RegistryException("cannot describe " + instance + ": " + e, e);
        }
        ServiceDiscovery<Map> d = discovery(instance.namespace());
        try {
            d.registerService(si);
        } catch (Exception e) {
            throw new RegistryException("cannot register " + instance + " in ZooKeeper " + connect + ": " + e, e);
        }
        return new Registered() {
            private boolean done;

            @Override
            public Instance instance() {
                return instance;
            }

            @Override
            public synchronized void close() {
                if (done) return;
                done = true;
                try {
                    d.unregisterService(si);
                } catch (Exception e) {
                    // the node is ephemeral: it goes with the session
                    log.log(Level.WARNING, "deregistering " + instance + ": " + e);
                }
            }
        };
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Subscription subscribe(String namespace, String service, Listener listener) {
        if (closed) throw new IllegalStateException("closed");
        ServiceCache<Map> cache =
                discovery(namespace).serviceCacheBuilder().name(service).build();
        Object order = new Object();
        Runnable tell = () -> {
            synchronized (order) {
                List<Instance> now = new ArrayList<>();
                for (ServiceInstance<Map> si : cache.getInstances()) {
                    Instance i = toInstance(namespace, service, si);
                    if (i != null) now.add(i);
                }
                now.sort(Comparator.comparing(Instance::id));
                listener.instances(List.copyOf(now));
            }
        };
        cache.addListener(new ServiceCacheListener() {
            @Override
            public void cacheChanged() {
                tell.run();
            }

            @Override
            public void stateChanged(CuratorFramework client, ConnectionState state) {
                // the cache keeps what it had while the ensemble is away; it catches up when back
            }
        });
        try {
            cache.start();
        } catch (Exception e) {
            throw new RegistryException("cannot follow " + service + " in ZooKeeper " + connect + ": " + e, e);
        }
        tell.run();
        return () -> {
            try {
                cache.close();
            } catch (Exception e) {
                log.log(Level.DEBUG, "closing the cache of " + service + ": " + e);
            }
        };
    }

    /** An instance as Wharf sees it; null for one that says no address or port. */
    @SuppressWarnings("rawtypes")
    static Instance toInstance(String namespace, String service, ServiceInstance<Map> si) {
        Integer port = si.getPort();
        if (si.getAddress() == null || port == null || port < 1 || port > 65535) return null;
        Map payload = si.getPayload();
        String version = "";
        int weight = 100;
        Map<String, String> metadata = new LinkedHashMap<>();
        if (payload != null && payload.get("metadata") instanceof Map) {
            for (Object e : ((Map) payload.get("metadata")).entrySet()) {
                Map.Entry entry = (Map.Entry) e;
                metadata.put(String.valueOf(entry.getKey()), String.valueOf(entry.getValue()));
            }
        }
        String v = metadata.remove(VERSION);
        if (v != null) version = v;
        String w = metadata.remove(WEIGHT);
        if (w != null && w.matches("\\d{1,6}")) weight = Integer.parseInt(w);
        boolean up = si.isEnabled();
        return new Instance(namespace, service, si.getAddress(), port, version, weight, up, metadata);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (var d : discoveries.values()) {
            try {
                d.close(); // unregisters what it registered
            } catch (Exception e) {
                log.log(Level.DEBUG, "closing service discovery: " + e);
            }
        }
        discoveries.clear();
        curator.close();
        notifier.shutdown();
    }

    /** Waits for the first connection; false if none within {@code millis}. */
    boolean awaitConnected(long millis) throws InterruptedException {
        return curator.blockUntilConnected((int) millis, TimeUnit.MILLISECONDS);
    }
}
