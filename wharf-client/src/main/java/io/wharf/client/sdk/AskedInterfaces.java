package io.wharf.client.sdk;

import io.wharf.client.UnreachableException;
import io.wharf.client.WharfClient;
import io.wharf.client.wire.ClientDesired;
import io.wharf.client.wire.ClientReport;
import io.wharf.client.wire.DesiredInterface;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Takes the interfaces a control server asks an SDK instance to use (claims 003.3–003.6), in answer to its
 * reports: installs each one it lacks — from the server's package, verified by its sha256, in a class loader of
 * its own, or from the class path — and attaches it; makes the asked-for primary the one views pick from;
 * detaches and unloads the rest. What cannot be done is its {@link #error()}, in the next report, and is tried
 * again at the next answer. Called on one thread at a time.
 */
final class AskedInterfaces {
    private final Wharf sdk;
    private final WharfClient control;
    private final String controlServer;
    private final Map<String, String> settings;
    private final ClassLoader loader;
    private final Path packages;
    private volatile String error = "";
    private String migration = "";

    AskedInterfaces(
            Wharf sdk,
            WharfClient control,
            String controlServer,
            Map<String, String> settings,
            ClassLoader loader,
            Path packages) {
        this.sdk = sdk;
        this.control = control;
        this.controlServer = controlServer;
        this.settings = Map.copyOf(settings);
        this.loader = loader;
        this.packages = packages;
    }

    /** Why the last answer could not be taken; empty when it was. See {@link ClientReport#error()}. */
    String error() {
        return error;
    }

    void take(ClientDesired desired) {
        if (desired.interfaces().isEmpty()) return;
        // an error belongs to the migration it came of: another one starts with none
        if (!desired.migration().equals(migration)) {
            migration = desired.migration();
            error = "";
        }
        try {
            Set<String> keep = new TreeSet<>();
            for (DesiredInterface want : desired.interfaces()) {
                keep.add(want.name());
                if (!sdk.uses(want.name())) install(want);
            }
            sdk.promoteIfUsed(desired.primary());
            for (String name : sdk.interfaces()) {
                if (!keep.contains(name) && !name.equals(sdk.primary())) sdk.detach(name);
            }
            error = "";
        } catch (RuntimeException e) {
            // a server out of reach is no reason to give up the new interface: the next answer tries again
            error = unreachable(e) ? "" : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }

    private void install(DesiredInterface want) {
        URI address = URI.create(want.address().isEmpty() ? controlServer : want.address());
        if (want.packageDigest().isEmpty()) {
            sdk.attach(want.name(), Wharf.open(address, settings, loader), null);
            return;
        }
        Path jar = packages.resolve(want.packageDigest() + ".jar");
        if (!Files.isRegularFile(jar)) {
            control.registry().downloadInterfacePackage(sdk.namespace(), want.packageDigest(), jar);
        }
        InterfacePackage pkg = InterfacePackage.install(jar, want.packageDigest(), address, settings);
        sdk.attach(want.name(), pkg.registry(), pkg);
    }

    /**
     * Whether {@code e} comes of a registry out of reach rather than of the interface itself. By class name, since
     * an installed package throws its own copy of the client's exceptions.
     */
    static boolean unreachable(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getClass().getName().equals(UnreachableException.class.getName())
                    || c instanceof java.net.ConnectException
                    || c instanceof java.net.http.HttpTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
