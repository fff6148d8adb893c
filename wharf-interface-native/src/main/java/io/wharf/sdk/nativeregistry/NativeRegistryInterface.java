package io.wharf.sdk.nativeregistry;

import io.wharf.client.ApiException;
import io.wharf.client.ClientException;
import io.wharf.client.ServiceWatch;
import io.wharf.client.WharfClient;
import io.wharf.client.sdk.Instance;
import io.wharf.client.sdk.spi.RegistryException;
import io.wharf.client.sdk.spi.RegistryInterface;
import io.wharf.client.wire.EndpointInfo;
import io.wharf.client.wire.EndpointState;
import io.wharf.client.wire.RegisterEndpoint;
import io.wharf.client.wire.RegisteredBy;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The SDK's interface to Wharf's own registry. Registrations live on one lease of this process's, renewed every
 * third of its time to live; a lease the server no longer knows (the process was away longer than that, or the
 * server lost it) is granted again and everything registered on it is registered again — what it keeps is the
 * state it wants, not a record of calls that succeeded. Each subscription follows the service's server-sent
 * events as an acknowledging watcher ({@code sdk@INSTANCE-N}, so that a release's drain waits until this
 * process has stopped picking an endpoint), resumes a broken stream from the last revision it applied (no
 * change missed or told twice), and keeps the last list while the server is out of reach.
 */
public final class NativeRegistryInterface implements RegistryInterface {
    private static final System.Logger log = System.getLogger(NativeRegistryInterface.class.getName());
    /** The least time between two acknowledgements of one subscription. */
    static final Duration ACK_GAP = Duration.ofMillis(100);

    private final WharfClient client;
    private final String instanceName;
    private final Duration ttl;
    private final ScheduledExecutorService timer;
    private final Map<String, Instance> registered = new ConcurrentHashMap<>();
    /** Held while an instance is registered again or taken out, so that the two never cross. */
    private final Object registering = new Object();
    /** The lease each registered instance was last put on. */
    private final Map<String, String> onLease = new ConcurrentHashMap<>();

    private final Set<ServiceWatch> followers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger watchers = new AtomicInteger();
    private final Object leaseLock = new Object();
    private volatile @Nullable String lease;
    private volatile boolean closed;

    /**
     * @param client the API client, with a token that may register in the namespaces used
     * @param instanceName how this process is known among watchers
     * @param ttl how long registrations outlive this process if it dies without deregistering
     */
    public NativeRegistryInterface(WharfClient client, String instanceName, Duration ttl) {
        this.client = client;
        // as watcher ids may spell it
        this.instanceName = instanceName.replaceAll("[^A-Za-z0-9._:@-]", "_");
        this.ttl = ttl;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wharf-sdk-timer");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(50, ttl.toMillis() / 3);
        timer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public String describe() {
        return "native " + client.server();
    }

    @Override
    public Registered register(Instance instance) {
        if (closed) throw new IllegalStateException("closed");
        String key = key(instance);
        try {
            String on = lease();
            put(instance, on);
            onLease.put(key, on);
        } catch (ClientException e) {
            throw new RegistryException("cannot register " + instance + ": " + e.getMessage(), e);
        }
        registered.put(key, instance);
        return new Registered() {
            private final AtomicBoolean done = new AtomicBoolean();

            @Override
            public Instance instance() {
                return instance;
            }

            @Override
            public void close() {
                if (!done.compareAndSet(false, true)) return;
                synchronized (registering) {
                    // from here on no renewal puts it back
                    registered.remove(key);
                    onLease.remove(key);
                }
                try {
                    client.registry().deregister(instance.namespace(), instance.service(), instance.id());
                } catch (ApiException e) {
                    if (e.status() != 404) log.log(Level.WARNING, "deregistering " + instance + ": " + e.getMessage());
                } catch (ClientException e) {
                    // the lease ends it when the server is back and this process is gone
                    log.log(Level.WARNING, "deregistering " + instance + ": " + e.getMessage());
                }
            }
        };
    }

    private static String key(Instance i) {
        return i.namespace() + "/" + i.service() + "/" + i.id();
    }

    private void put(Instance i, String onLease) {
        client.registry()
                .register(
                        i.namespace(),
                        i.service(),
                        i.id(),
                        new RegisterEndpoint(
                                i.version().isEmpty() ? null : i.version(),
                                i.weight(),
                                null,
                                onLease,
                                i.metadata(),
                                i.up() ? EndpointState.UP : EndpointState.DRAINING,
                                RegisteredBy.SDK));
    }

    /** The lease, granted once and again after it was lost. */
    private String lease() {
        synchronized (leaseLock) {
            String l = lease;
            if (l == null) {
                l = client.registry().grantLease(ttl).id();
                lease = l;
            }
            return l;
        }
    }

    /**
     * Renews the lease — a new one when the server no longer knows it — and registers again whatever is not
     * registered on the lease in force: level-triggered, so that an instance a failed call left out, or one taken
     * out of the registry by someone else (the lease then holds fewer endpoints than were put on it), is put back
     * on the next pass.
     */
    private void renew() {
        String l = lease;
        if (l == null || closed) return;
        try {
            int held = client.registry().renewLease(l).endpoints();
            long put = onLease.values().stream().filter(l::equals).count();
            if (held < put) {
                // someone took endpoints of ours out of the registry: put them all on it again
                log.log(Level.INFO, "lease " + l + " holds " + held + " of " + put + " endpoints: registering again");
                onLease.values().removeIf(l::equals);
            }
        } catch (ApiException e) {
            if (e.status() != 404) {
                log.log(Level.WARNING, "renewing lease " + l + ": " + e.getMessage());
                return;
            }
            synchronized (leaseLock) {
                if (l.equals(lease)) lease = null;
            }
            log.log(Level.INFO, "lease " + l + " had lapsed: registering " + registered.size() + " again");
        } catch (ClientException e) {
            log.log(Level.DEBUG, "renewing lease " + l + ": " + e.getMessage());
            return;
        }
        try {
            String now = lease();
            for (String key : new ArrayList<>(registered.keySet())) {
                synchronized (registering) {
                    Instance i = registered.get(key);
                    if (i == null || now.equals(onLease.get(key))) continue;
                    put(i, now);
                    onLease.put(key, now);
                }
            }
        } catch (ClientException again) {
            log.log(Level.WARNING, "registering again: " + again.getMessage());
        }
    }

    @Override
    public Subscription subscribe(String namespace, String service, Listener listener) {
        if (closed) throw new IllegalStateException("closed");
        ServiceWatch f = ServiceWatch.start(
                client,
                namespace,
                service,
                "sdk@" + instanceName + "-" + watchers.incrementAndGet(),
                // a drain waits for views to let go of what left; registrations need no word back
                ServiceWatch.Acknowledging.REMOVALS,
                ACK_GAP,
                timer,
                // a restarted server's registry fills again as providers renew their leases: until one lease
                // time has passed, an empty list after a break is not taken for the service gone
                ttl,
                new Instances(namespace, service, listener));
        followers.add(f);
        return () -> {
            followers.remove(f);
            f.close();
        };
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        // the followers first: they schedule their acknowledgements on the timer
        for (ServiceWatch f : new ArrayList<>(followers)) f.close();
        followers.clear();
        timer.shutdownNow();
        String l = lease;
        if (l != null) {
            try {
                // every endpoint still on it leaves the registry at once
                client.registry().revokeLease(l);
            } catch (ClientException e) {
                log.log(Level.DEBUG, "revoking lease " + l + ": " + e.getMessage());
            }
        }
        registered.clear();
    }

    /**
     * Turns a watch's lists into instances for a listener. An endpoint the registry did not change since the last
     * list is the same {@link EndpointInfo}, so its instance is kept rather than made again: a change costs one
     * instance, not one per endpoint of the service.
     */
    private static final class Instances implements ServiceWatch.Handler {
        private final String namespace;
        private final String service;
        private final Listener listener;
        private Map<EndpointInfo, Instance> made = new IdentityHashMap<>();

        Instances(String namespace, String service, Listener listener) {
            this.namespace = namespace;
            this.service = service;
            this.listener = listener;
        }

        @Override
        public void endpoints(long revision, List<EndpointInfo> endpoints) {
            Map<EndpointInfo, Instance> now = new IdentityHashMap<>(endpoints.size() * 2);
            List<Instance> out = new ArrayList<>(endpoints.size());
            for (EndpointInfo e : endpoints) {
                Instance i = made.get(e);
                if (i == null) {
                    i = new Instance(
                            namespace,
                            service,
                            e.ip(),
                            e.port(),
                            e.version(),
                            e.weight(),
                            e.state() == EndpointState.UP,
                            e.metadata());
                }
                now.put(e, i);
                out.add(i);
            }
            made = now;
            listener.instances(out);
        }
    }
}
