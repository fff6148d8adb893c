package io.wharf.client.sdk;

import io.wharf.client.sdk.spi.RegistryException;
import io.wharf.client.sdk.spi.RegistryInterface;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A registry interface installed from its package (claim 003.3): a jar holding the interface and everything it
 * needs, checked against its sha256, loaded in a class loader of its own — so that two interfaces, or two
 * versions of one, live side by side in one application without their libraries meeting — and unloaded again.
 * Only the SDK's own types ({@code io.wharf.client.sdk}, the SPI) and the JDK's are shared with the
 * application; every other class the package uses comes from the package.
 */
public final class InterfacePackage implements AutoCloseable {
    /** The class-name prefixes the application shares with every package. */
    static final List<String> SHARED =
            List.of("java.", "javax.", "jdk.", "sun.", "com.sun.", "io.wharf.client.sdk.", "org.jspecify.");

    private static final AtomicInteger LOADED = new AtomicInteger();

    /** How long {@link #close()} waits for the package's threads to end before it lets go of its classes. */
    static final Duration THREADS_END = Duration.ofSeconds(5);

    private final Loader loader;
    private final RegistryInterface registry;
    private final String sha256;
    private boolean closed;

    private InterfacePackage(Loader loader, RegistryInterface registry, String sha256) {
        this.sha256 = sha256;
        this.loader = loader;
        this.registry = registry;
    }

    /**
     * Installs the package at {@code jar} and opens its interface to {@code address}.
     *
     * @param sha256 the digest the package must have (hex); a package with another is refused
     * @throws RegistryException if the package is not the one expected, holds no interface for the address's
     *     scheme, or cannot open it
     */
    public static InterfacePackage install(Path jar, String sha256, URI address, Map<String, String> settings) {
        String actual = sha256(jar);
        if (!actual.equalsIgnoreCase(sha256)) {
            throw new RegistryException(
                    "package " + jar.getFileName() + " has sha256 " + actual + ", expected " + sha256 + ": refused");
        }
        Loader loader;
        try {
            loader = new Loader(
                    "wharf-interface-" + actual.substring(0, 12) + "-" + LOADED.incrementAndGet(),
                    jar.toUri().toURL(),
                    InterfacePackage.class.getClassLoader());
        } catch (MalformedURLException e) {
            throw new RegistryException("package " + jar + ": " + e.getMessage(), e);
        }
        Thread me = Thread.currentThread();
        ClassLoader was = me.getContextClassLoader();
        me.setContextClassLoader(loader);
        try {
            return new InterfacePackage(loader, Wharf.open(address, settings, loader), actual);
        } catch (RuntimeException e) {
            closeQuietly(loader);
            throw e;
        } finally {
            me.setContextClassLoader(was);
        }
    }

    /** The package's sha256, in hex. */
    public String sha256() {
        return sha256;
    }

    /** The interface it holds. */
    public RegistryInterface registry() {
        return registry;
    }

    /** The class loader of the package's classes. */
    public ClassLoader classLoader() {
        return loader;
    }

    /**
     * Threads alive now that belong to the package: started while its code ran (their context class loader is
     * the package's) or running its code. None once it is closed, for a package that cleans up after itself.
     */
    public List<Thread> threads() {
        List<Thread> left = new ArrayList<>();
        for (Map.Entry<Thread, StackTraceElement[]> e :
                Thread.getAllStackTraces().entrySet()) {
            Thread t = e.getKey();
            if (!t.isAlive()) continue;
            boolean ours = t.getContextClassLoader() == loader;
            for (StackTraceElement frame : e.getValue()) {
                ours |= loader.getName().equals(frame.getClassLoaderName());
            }
            if (ours) left.add(t);
        }
        return left;
    }

    /**
     * Closes the interface (it deregisters what it registered) and lets go of the package's classes once its
     * threads have ended (waiting up to {@link #THREADS_END} for them: a thread still running the package's code
     * after its classes are gone would fail at its next class load).
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        Thread me = Thread.currentThread();
        ClassLoader was = me.getContextClassLoader();
        me.setContextClassLoader(loader);
        try {
            registry.close();
        } finally {
            me.setContextClassLoader(was);
            long deadline = System.nanoTime() + THREADS_END.toNanos();
            for (Thread t : threads()) {
                if (t == me) continue;
                long left = deadline - System.nanoTime();
                if (left <= 0) break;
                try {
                    t.join(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    me.interrupt();
                    break;
                }
            }
            closeQuietly(loader);
        }
    }

    /** The sha256 of a file, in hex. */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[65536];
            int n;
            while ((n = in.read(buffer)) > 0) d.update(buffer, 0, n);
            StringBuilder hex = new StringBuilder(64);
            for (byte b : d.digest())
                hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            return hex.toString();
        } catch (IOException e) {
            throw new RegistryException("cannot read package " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void closeQuietly(URLClassLoader l) {
        try {
            l.close();
        } catch (IOException e) {
            // its jar stays open until the loader is collected
        }
    }

    /** Child-first, except for the shared prefixes, which only the application's loader gives. */
    private static final class Loader extends URLClassLoader {
        private final ClassLoader application;

        Loader(String name, URL jar, ClassLoader application) {
            super(name, new URL[] {jar}, ClassLoader.getPlatformClassLoader());
            this.application = application;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    if (shared(name)) {
                        c = name.startsWith("io.wharf.") || name.startsWith("org.jspecify.")
                                ? application.loadClass(name)
                                : super.loadClass(name, false);
                    } else {
                        try {
                            c = findClass(name);
                        } catch (ClassNotFoundException e) {
                            c = super.loadClass(name, false); // the platform's
                        }
                    }
                }
                if (resolve) resolveClass(c);
                return c;
            }
        }

        /** The package's own resources only: so that its service files name its own factories. */
        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return findResources(name);
        }

        @Override
        public URL getResource(String name) {
            URL own = findResource(name);
            return own != null ? own : super.getResource(name);
        }

        private static boolean shared(String name) {
            for (String p : SHARED) {
                if (name.startsWith(p)) return true;
            }
            return false;
        }
    }

    @Override
    public String toString() {
        return "InterfacePackage[" + registry.describe() + "]";
    }
}
