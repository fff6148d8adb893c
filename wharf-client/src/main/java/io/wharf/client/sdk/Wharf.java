package io.wharf.client.sdk;

import io.wharf.client.WharfClient;
import io.wharf.client.sdk.spi.RegistryException;
import io.wharf.client.sdk.spi.RegistryInterface;
import io.wharf.client.sdk.spi.RegistryInterfaceFactory;
import io.wharf.client.wire.ClientReport;
import io.wharf.client.wire.InterfaceState;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The Java SDK (claim 003.1): what a service embeds to register itself as a provider and to find the providers
 * it calls. It reaches the registry through a {@link RegistryInterface} — Wharf's own or another registry's,
 * chosen by the address's scheme from the interface jars on the class path — so that the interface can be
 * changed without changing the application.
 *
 * <pre>{@code
 * try (Wharf wharf = Wharf.builder("http://127.0.0.1:7420").token(token).build()) {
 *     wharf.register("orders", "127.0.1.9", 8080, "v3", Map.of("zone", "a"));
 *     Discovery stock = wharf.discover("stock");
 *     Instance to = stock.pick().orElseThrow();
 * }
 * }</pre>
 *
 * Everything it registered is deregistered when it is closed, and when the JVM shuts down.
 */
public final class Wharf implements AutoCloseable {
    private final String namespace;
    private final Rule rule;
    /** The interfaces in use, by name, in the order they were attached. */
    private final Map<String, Attached> attached = new LinkedHashMap<>();

    private final List<Registration> registrations = new ArrayList<>();
    private final Map<String, Discovery> views = new HashMap<>();
    private final @Nullable Thread hook;
    private final @Nullable ControlReporter reporter;
    private final String instanceName;
    private String primary;
    private boolean closed;

    /** One interface in use: what was registered and followed through it, and the package it came from. */
    private static final class Attached {
        final String name;
        final RegistryInterface registry;
        final @Nullable InterfacePackage from;
        final Map<Registration, RegistryInterface.Registered> registered = new HashMap<>();
        final Map<String, RegistryInterface.Subscription> subscriptions = new HashMap<>();

        Attached(String name, RegistryInterface registry, @Nullable InterfacePackage from) {
            this.name = name;
            this.registry = registry;
            this.from = from;
        }
    }

    private final @Nullable AskedInterfaces asked;
    private final ResponseTimes responseTimes = new ResponseTimes();

    Wharf(WharfBuilder b, String name, RegistryInterface registry) {
        this.namespace = b.namespace;
        this.rule = b.rule;
        this.primary = name;
        attached.put(name, new Attached(name, registry, null));
        this.instanceName = b.settings
                .getOrDefault("instance", ManagementFactory.getRuntimeMXBean().getName())
                .replaceAll("[^A-Za-z0-9._:@-]", "_");
        if (b.controlServer != null) {
            WharfClient.Builder cb = WharfClient.builder(b.controlServer);
            String token = b.settings.get("token");
            if (token != null) cb.token(token);
            WharfClient control = cb.build();
            asked = new AskedInterfaces(this, control, b.controlServer, b.settings, b.loader, b.packages);
            reporter = new ControlReporter(control, namespace, instanceName, this::report, asked::take);
        } else {
            asked = null;
            reporter = null;
        }
        if (b.deregisterOnShutdown) {
            hook = new Thread(this::close, "wharf-sdk-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
        } else {
            hook = null;
        }
    }

    /**
     * A builder for an SDK reaching the registry at {@code address}: {@code http://HOST:PORT} for Wharf's own,
     * {@code zookeeper://HOST:PORT[,HOST:PORT…]/BASE-PATH} for ZooKeeper (with its interface jar on the class
     * path).
     */
    public static WharfBuilder builder(String address) {
        return new WharfBuilder(URI.create(Objects.requireNonNull(address, "address")));
    }

    /** How this instance is known to the control server and among watchers. */
    public String instanceName() {
        return instanceName;
    }

    /**
     * The response times of the requests this instance handles (claim 002.6), as it tells its control server:
     * time each with {@code responseTimes().start(name)} or wrap a handler.
     */
    public ResponseTimes responseTimes() {
        return responseTimes;
    }

    /** What this instance uses now, as it tells its control server. */
    public synchronized ClientReport report() {
        List<String> registered = new ArrayList<>();
        for (Registration r : registrations)
            registered.add(r.instance().service() + "/" + r.instance().id());
        Map<String, Map<String, Integer>> follows = new TreeMap<>();
        for (Discovery view : views.values()) {
            Map<String, Integer> counts = new TreeMap<>();
            view.byInterface().forEach((name, list) -> counts.put(name, list.size()));
            follows.put(view.service(), counts);
        }
        Map<String, InterfaceState> states = new LinkedHashMap<>();
        for (Attached a : attached.values()) {
            long calls = 0;
            long failures = 0;
            for (Discovery view : views.values()) {
                long[] c = view.calls(a.name);
                calls += c[0];
                failures += c[1];
            }
            String digest = a.from == null ? "" : a.from.sha256();
            states.put(a.name, new InterfaceState(a.registered.size(), calls, failures, digest));
        }
        String error = asked == null ? "" : asked.error();
        return new ClientReport(interfaces(), primary, registered, follows, states, error, responseTimes.summary());
    }

    /** Whether interface {@code name} is in use; none is once closed. */
    synchronized boolean uses(String name) {
        return !closed && attached.containsKey(name);
    }

    /** Makes {@code name} the primary if it is in use and not already. */
    synchronized void promoteIfUsed(String name) {
        if (uses(name) && !primary.equals(name)) promote(name);
    }

    /** The primary registry interface: the one views pick from. */
    public synchronized RegistryInterface registry() {
        return attached.get(primary).registry;
    }

    /** The names of the interfaces in use, the primary first. */
    public synchronized List<String> interfaces() {
        List<String> names = new ArrayList<>();
        names.add(primary);
        for (String n : attached.keySet()) {
            if (!n.equals(primary)) names.add(n);
        }
        return names;
    }

    /** The name of the primary interface. */
    public synchronized String primary() {
        return primary;
    }

    public String namespace() {
        return namespace;
    }

    /**
     * Adds a second registry interface beside those in use (claim 003.4): everything registered so far is
     * registered through it too, as is everything registered later, and every view follows its service through
     * it as well — views keep picking from the primary, and {@link Discovery#byInterface()} shows what each
     * interface says, for a check that they agree.
     *
     * @throws RegistryException if it cannot register what is registered; it is then not added
     */
    public void attach(String name, RegistryInterface registry) {
        attach(name, registry, null);
    }

    /** Attaches {@code registry} as {@code name}; {@code from} is the package it came from, closed with it. */
    synchronized void attach(String name, RegistryInterface registry, @Nullable InterfacePackage from) {
        Attached a = new Attached(name, registry, from);
        if (closed || attached.containsKey(name)) {
            release(a);
            if (closed) throw new IllegalStateException("closed");
            throw new IllegalArgumentException("interface " + name + " is in use already");
        }
        try {
            for (Registration r : registrations) a.registered.put(r, registry.register(r.instance()));
        } catch (RuntimeException e) {
            release(a);
            throw e;
        }
        attached.put(name, a);
        views.forEach((key, view) -> follow(a, key, view));
    }

    /**
     * Makes {@code name} the interface views pick from (claims 003.4, 003.5): each view takes that interface's
     * list at once if it has one, else keeps its current list until that interface's first answer.
     */
    public synchronized void promote(String name) {
        if (!attached.containsKey(name)) throw new IllegalArgumentException("no interface " + name + " in use");
        primary = name;
        for (Discovery view : views.values()) view.primary(name);
    }

    /**
     * Stops using an interface that is not the primary (claim 003.6): deregisters what was registered through
     * it, stops following services through it, and closes it.
     */
    public void detach(String name) {
        Attached a;
        synchronized (this) {
            if (name.equals(primary)) {
                throw new IllegalStateException("interface " + name + " is the primary: promote another first");
            }
            a = attached.remove(name);
            if (a == null) return;
            for (Discovery view : views.values()) view.forget(name);
        }
        release(a);
    }

    private static void release(Attached a) {
        for (RegistryInterface.Registered r : a.registered.values()) {
            try {
                r.close();
            } catch (RuntimeException e) {
                // the interface's close ends its registrations anyway
            }
        }
        a.subscriptions.values().forEach(RegistryInterface.Subscription::close);
        if (a.from != null) {
            a.from.close(); // closes the interface and lets go of its classes
        } else {
            a.registry.close();
        }
    }

    /** Registers a provider's instance in the namespace, kept registered until closed. */
    public Registration register(String service, String ip, int port, String version, Map<String, String> metadata) {
        return register(new Instance(namespace, service, ip, port, version, 100, true, metadata));
    }

    /** Registers {@code instance} through every interface in use, kept registered until closed. */
    public synchronized Registration register(Instance instance) {
        if (closed) throw new IllegalStateException("closed");
        Registration[] self = new Registration[1];
        self[0] = new Registration(instance, () -> deregister(self[0]));
        Map<Attached, RegistryInterface.Registered> done = new LinkedHashMap<>();
        try {
            for (Attached a : attached.values()) done.put(a, a.registry.register(instance));
        } catch (RuntimeException e) {
            done.values().forEach(RegistryInterface.Registered::close);
            throw e;
        }
        done.forEach((a, r) -> a.registered.put(self[0], r));
        registrations.add(self[0]);
        return self[0];
    }

    private synchronized void deregister(Registration r) {
        if (!registrations.remove(r)) return;
        for (Attached a : attached.values()) {
            RegistryInterface.Registered through = a.registered.remove(r);
            if (through != null) through.close();
        }
    }

    /** The view of {@code service} in the namespace, picking by the SDK's default rule; one per service. */
    public Discovery discover(String service) {
        return discover(service, rule);
    }

    /** The view of {@code service} in the namespace picking by {@code pickRule}; one per service and rule. */
    public synchronized Discovery discover(String service, Rule pickRule) {
        if (closed) throw new IllegalStateException("closed");
        String key = service + " " + pickRule;
        Discovery d = views.get(key);
        if (d != null) return d;
        Discovery view = new Discovery(namespace, service, pickRule, primary, () -> forget(key));
        views.put(key, view);
        for (Attached a : attached.values()) follow(a, key, view);
        return view;
    }

    private void follow(Attached a, String key, Discovery view) {
        a.subscriptions.put(key, a.registry.subscribe(namespace, view.service(), list -> view.offer(a.name, list)));
    }

    private synchronized void forget(String key) {
        views.remove(key);
        for (Attached a : attached.values()) {
            RegistryInterface.Subscription s = a.subscriptions.remove(key);
            if (s != null) s.close();
        }
    }

    /**
     * Deregisters every instance it registered, stops following services and closes every registry interface.
     */
    @Override
    public void close() {
        List<Attached> all;
        synchronized (this) {
            if (closed) return;
            closed = true;
            all = new ArrayList<>(attached.values());
            attached.clear();
            registrations.clear();
            views.clear();
        }
        all.forEach(Wharf::release);
        if (reporter != null) reporter.close();
        if (hook != null && Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already
            }
        }
    }

    /** The name an interface opened for {@code address} goes by: {@code native} for http(s), else the scheme. */
    static String nameOf(URI address) {
        String scheme = address.getScheme() == null ? "" : address.getScheme().toLowerCase(Locale.ROOT);
        return scheme.startsWith("http") ? "native" : scheme;
    }

    /**
     * Opens the registry interface for {@code address} with the factory of its scheme found in {@code loader}.
     *
     * @throws RegistryException naming the jar to add when no factory takes the scheme
     */
    public static RegistryInterface open(URI address, Map<String, String> settings, ClassLoader loader) {
        String scheme = address.getScheme() == null ? "" : address.getScheme().toLowerCase(Locale.ROOT);
        Set<String> known = new TreeSet<>();
        for (RegistryInterfaceFactory f : ServiceLoader.load(RegistryInterfaceFactory.class, loader)) {
            if (f.schemes().contains(scheme)) return f.open(address, Map.copyOf(settings));
            known.addAll(f.schemes());
        }
        String jar = scheme.startsWith("http") ? "wharf-interface-native" : "wharf-interface-" + scheme;
        throw new RegistryException("no registry interface for " + address + " (scheme '" + scheme + "'): add "
                + "io.wharf:" + jar + " to the class path" + (known.isEmpty() ? "" : "; found only " + known));
    }
}
