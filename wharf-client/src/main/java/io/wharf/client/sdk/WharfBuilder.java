package io.wharf.client.sdk;

import io.wharf.client.sdk.spi.RegistryInterface;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** How a {@link Wharf} is set up: {@code Wharf.builder(address)…build()}. */
public final class WharfBuilder {
    private final URI address;
    final Map<String, String> settings = new LinkedHashMap<>();
    String namespace = "default";
    Rule rule = Rule.WEIGHTED_ROUND_ROBIN;
    boolean deregisterOnShutdown = true;
    private @Nullable RegistryInterface registry;
    private @Nullable String name;

    @Nullable
    String controlServer;

    ClassLoader loader = Wharf.class.getClassLoader();
    Path packages = Path.of(System.getProperty("java.io.tmpdir"), "wharf-sdk-packages");

    WharfBuilder(URI address) {
        this.address = address;
    }

    /**
     * The Wharf server this instance reports to every second (what interfaces it uses, what it registered,
     * what each interface shows it), with the token given; it appears in {@code wharf get clients}. For a
     * native interface this is usually the same server.
     */
    public WharfBuilder controlServer(String server) {
        this.controlServer = Objects.requireNonNull(server, "server");
        return this;
    }

    /** The token for Wharf's API (a namespace token to register, any reading token to discover). */
    public WharfBuilder token(String token) {
        settings.put("token", Objects.requireNonNull(token, "token"));
        return this;
    }

    /** How this process is known among a service's watchers (default: host name and process id). */
    public WharfBuilder instanceName(String name) {
        settings.put("instance", Objects.requireNonNull(name, "name"));
        return this;
    }

    /** A setting of the registry interface, e.g. {@code ttl} of registrations. */
    public WharfBuilder setting(String name, String value) {
        settings.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** The namespace services are registered and found in (default {@code default}). */
    public WharfBuilder namespace(String ns) {
        this.namespace = Objects.requireNonNull(ns, "namespace");
        return this;
    }

    /** How views pick by default (default weighted round robin, which is round robin for equal weights). */
    public WharfBuilder rule(Rule r) {
        this.rule = Objects.requireNonNull(r, "rule");
        return this;
    }

    /** Whether a JVM shutdown deregisters what was registered (default true). */
    public WharfBuilder deregisterOnShutdown(boolean yes) {
        this.deregisterOnShutdown = yes;
        return this;
    }

    /** Uses this interface rather than one found by the address's scheme. */
    public WharfBuilder registry(RegistryInterface r) {
        this.registry = Objects.requireNonNull(r, "registry");
        return this;
    }

    /** The name of the first interface (default: {@code native} for http(s), else the address's scheme). */
    public WharfBuilder interfaceName(String n) {
        this.name = Objects.requireNonNull(n, "name");
        return this;
    }

    /**
     * Where interface packages that the control server asks this instance to install are kept once downloaded
     * and verified (default: {@code wharf-sdk-packages} in the temporary directory).
     */
    public WharfBuilder packages(Path dir) {
        this.packages = Objects.requireNonNull(dir, "dir");
        return this;
    }

    /** Where interface jars are looked for (default: the SDK's own class loader). */
    public WharfBuilder classLoader(ClassLoader l) {
        this.loader = Objects.requireNonNull(l, "loader");
        return this;
    }

    public Wharf build() {
        RegistryInterface r = registry != null ? registry : Wharf.open(address, settings, loader);
        return new Wharf(this, name != null ? name : Wharf.nameOf(address), r);
    }
}
