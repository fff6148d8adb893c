package io.wharf.agent;

import io.wharf.client.wire.VolumeReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The volumes on this host (claim 002.1): {@code ROOT/namespace.service.ordinal/name}, one directory per
 * volume, made before its container first starts and never removed except when the server asks for it
 * ({@link #delete}). What is here is reported every heartbeat, with each volume's size as last measured (a walk
 * of its files, at most every {@link #MEASURE_EVERY}, on a thread of its own).
 */
final class HostVolumes {
    private static final Logger log = LoggerFactory.getLogger(HostVolumes.class);
    /** {@code namespace.service.ordinal}: names have no dots, the ordinal is digits. */
    private static final Pattern DIR = Pattern.compile("([a-z0-9-]+)\\.([a-z0-9-]+)\\.(\\d{1,9})");

    static final Duration MEASURE_EVERY = Duration.ofSeconds(10);

    private final Path root;
    private final Map<Path, Long> sizes = new ConcurrentHashMap<>();
    private final AtomicBoolean measuring = new AtomicBoolean();
    private volatile long measuredAtNanos = System.nanoTime() - MEASURE_EVERY.toNanos();

    HostVolumes(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + root, e);
        }
    }

    /** The directory of volume {@code name} of container {@code dir} ({@code namespace.service.ordinal}), made if absent. */
    Path ensure(String dir, String name) throws IOException {
        Path path = root.resolve(dir).resolve(name);
        if (!Files.isDirectory(path)) {
            Files.createDirectories(path);
            log.info("volume created dir={} name={} path={}", dir, name, path);
        }
        return path;
    }

    /** Where volume {@code name} of container {@code dir} is (or would be). */
    Path path(String dir, String name) {
        return root.resolve(dir).resolve(name);
    }

    /** Every volume here, with its size as last measured (0 before the first measurement). */
    List<VolumeReport> report() {
        List<VolumeReport> out = new ArrayList<>();
        List<Path> seen = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path d : dirs.sorted().toList()) {
                Matcher m = DIR.matcher(d.getFileName().toString());
                if (!m.matches() || !Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) continue;
                try (Stream<Path> volumes = Files.list(d)) {
                    for (Path v : volumes.sorted().toList()) {
                        if (!Files.isDirectory(v, LinkOption.NOFOLLOW_LINKS)) continue;
                        seen.add(v);
                        out.add(new VolumeReport(
                                m.group(1),
                                m.group(2),
                                Integer.parseInt(m.group(3)),
                                v.getFileName().toString(),
                                sizes.getOrDefault(v, 0L)));
                    }
                }
            }
        } catch (IOException e) {
            log.warn("cannot list volumes in {}: {}", root, e.getMessage());
        }
        sizes.keySet().retainAll(seen);
        measureSoon(seen);
        return out;
    }

    private void measureSoon(List<Path> volumes) {
        if (System.nanoTime() - measuredAtNanos < MEASURE_EVERY.toNanos() || !measuring.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("wharf-volume-sizes").start(() -> {
            try {
                for (Path v : volumes) sizes.put(v, size(v));
            } finally {
                measuredAtNanos = System.nanoTime();
                measuring.set(false);
            }
        });
    }

    private static long size(Path dir) {
        long[] total = new long[1];
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) total[0] += attrs.size();
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // removed while walking, or not ours to read
                }
            });
        } catch (IOException e) {
            // measured as far as it went
        }
        return total[0];
    }

    /** Deletes the volumes of container {@code dir} ({@code namespace.service.ordinal}) and all they hold. */
    void delete(String dir) throws IOException {
        if (!DIR.matcher(dir).matches()) throw new IOException("not a volume directory: " + dir);
        Path d = root.resolve(dir);
        if (!Files.exists(d, LinkOption.NOFOLLOW_LINKS)) return;
        Files.walkFileTree(d, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path p, IOException e) throws IOException {
                if (e != null) throw e;
                Files.delete(p);
                return FileVisitResult.CONTINUE;
            }
        });
        log.info("volumes deleted dir={}", dir);
    }
}
