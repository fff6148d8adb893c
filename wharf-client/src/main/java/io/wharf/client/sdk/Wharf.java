package io.wharf.client.sdk;

import io.wharf.client.sdk.spi.RegistryException;
import io.wharf.client.sdk.spi.RegistryInterface;
import io.wharf.client.sdk.spi.RegistryInterfaceFactory;
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
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The Java SDK (claim 003.1): what a service embeds to register itself as a provider and to find the providers
 * it calls. It reaches the registry through a {@link RegistryInterface} — Wharf's own or another registry's,
 * chosen by the address's scheme from the interface jars on the class path — so that the interface can be
 * changed without changing the application.
 *
 * <pre>{@code
 * try (Wharf wharf = Wharf.builder("http://127.0.0.1:7070").token(token).build()) {
 *     wharf.register("orders", "127.0.1.9", 8080, "v3", Map.of("zone", "a"));
 *     Discovery stock = wharf.discover("stock");
 *     Instance to = stock.pick().orElseThrow();
 * }
 * }</pre>
 *
 * Everything it registered is deregistered when it is closed, and when the JVM shuts down.
 */
public final class Wharf implements AutoCloseable {
    private final RegistryInterface registry;
    private final String namespace;
    private final Rule rule;
    private final List<Registration> registrations = new ArrayList<>();
    private final Map<String, Discovery> views = new HashMap<>();
    private final Map<String, RegistryInterface.Subscription> subscriptions = new HashMap<>();
    private final @Nullable Thread hook;
    private boolean closed;

    private Wharf(Builder b, RegistryInterface registry) {
        this.registry = registry;
        this.namespace = b.namespace;
        this.rule = b.rule;
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
    public static Builder builder(String address) {
        return new Builder(URI.create(Objects.requireNonNull(address, "address")));
    }

    /** The registry interface in use. */
    public RegistryInterface registry() {
        return registry;
    }

    public String namespace() {
        return namespace;
    }

    /** Registers a provider's instance in the namespace, kept registered until closed. */
    public synchronized Registration register(
            String service, String ip, int port, String version, Map<String, String> metadata) {
        return register(new Instance(namespace, service, ip, port, version, 100, true, metadata));
    }

    /** Registers {@code instance}, kept registered until closed. */
    public synchronized Registration register(Instance instance) {
        if (closed) throw new IllegalStateException("closed");
        RegistryInterface.Registered r = registry.register(instance);
        Registration[] self = new Registration[1];
        self[0] = new Registration(r, () -> {
            synchronized (this) {
                registrations.remove(self[0]);
            }
        });
        registrations.add(self[0]);
        return self[0];
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
        Discovery view = new Discovery(namespace, service, pickRule, () -> forget(key));
        views.put(key, view);
        subscriptions.put(key, registry.subscribe(namespace, service, view::update));
        return view;
    }

    private synchronized void forget(String key) {
        views.remove(key);
        RegistryInterface.Subscription s = subscriptions.remove(key);
        if (s != null) s.close();
    }

    /** Deregisters every instance it registered, stops following services and closes the registry interface. */
    @Override
    public void close() {
        List<Registration> registered;
        List<RegistryInterface.Subscription> followed;
        synchronized (this) {
            if (closed) return;
            closed = true;
            registered = new ArrayList<>(registrations);
            followed = new ArrayList<>(subscriptions.values());
            registrations.clear();
            subscriptions.clear();
            views.clear();
        }
        for (Registration r : registered) {
            try {
                r.close();
            } catch (RuntimeException e) {
                // the registry's lease or session ends with the interface anyway
            }
        }
        followed.forEach(RegistryInterface.Subscription::close);
        registry.close();
        if (hook != null && Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already
            }
        }
    }

    /** How the SDK is set up. */
    public static final class Builder {
        private final URI address;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private String namespace = "default";
        private Rule rule = Rule.WEIGHTED_ROUND_ROBIN;
        private boolean deregisterOnShutdown = true;
        private @Nullable RegistryInterface registry;
        private ClassLoader loader = Wharf.class.getClassLoader();

        private Builder(URI address) {
            this.address = address;
        }

        /** The token for Wharf's API (a namespace token to register, any reading token to discover). */
        public Builder token(String token) {
            settings.put("token", Objects.requireNonNull(token, "token"));
            return this;
        }

        /** How this process is known among a service's watchers (default: host name and process id). */
        public Builder instanceName(String name) {
            settings.put("instance", Objects.requireNonNull(name, "name"));
            return this;
        }

        /** A setting of the registry interface, e.g. {@code ttl} of registrations. */
        public Builder setting(String name, String value) {
            settings.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** The namespace services are registered and found in (default {@code default}). */
        public Builder namespace(String ns) {
            this.namespace = Objects.requireNonNull(ns, "namespace");
            return this;
        }

        /** How views pick by default (default weighted round robin, which is round robin for equal weights). */
        public Builder rule(Rule r) {
            this.rule = Objects.requireNonNull(r, "rule");
            return this;
        }

        /** Whether a JVM shutdown deregisters what was registered (default true). */
        public Builder deregisterOnShutdown(boolean yes) {
            this.deregisterOnShutdown = yes;
            return this;
        }

        /** Uses this interface rather than one found by the address's scheme. */
        public Builder registry(RegistryInterface r) {
            this.registry = Objects.requireNonNull(r, "registry");
            return this;
        }

        /** Where interface jars are looked for (default: the SDK's own class loader). */
        public Builder classLoader(ClassLoader l) {
            this.loader = Objects.requireNonNull(l, "loader");
            return this;
        }

        public Wharf build() {
            return new Wharf(this, registry != null ? registry : open(address, settings, loader));
        }
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
