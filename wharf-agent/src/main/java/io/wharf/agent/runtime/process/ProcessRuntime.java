package io.wharf.agent.runtime.process;

import io.wharf.agent.runtime.ContainerRuntime;
import io.wharf.agent.runtime.ContainerSpec;
import io.wharf.agent.runtime.Packages;
import io.wharf.agent.runtime.ProcStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Containers as processes. Each has a directory {@code ROOT/ID} holding its unpacked package, its
 * {@code stdout.log} and {@code stderr.log}, and a {@code pid} file (pid and start time), which is how a
 * restarted agent finds it again. Processes run under {@code setsid}, in a session of their own, so that
 * stopping or losing the agent does not stop them.
 */
public final class ProcessRuntime implements ContainerRuntime {
    private static final Logger log = LoggerFactory.getLogger(ProcessRuntime.class);

    private final Path root;
    private final String javaBin;
    private final Packages packages;
    private final Map<String, Process> children = new ConcurrentHashMap<>();
    private final Cgroups cgroups = new Cgroups(Path.of("/sys/fs/cgroup"));
    private final Map<String, DiskSize> diskSizes = new ConcurrentHashMap<>();

    /**
     * How often the size of a container's files is measured again (walking a directory is not free): every
     * {@link #DISK_EVERY}, and after {@link #DISK_WRITTEN_EVERY} when it has written to storage since.
     */
    static final Duration DISK_EVERY = Duration.ofSeconds(10);

    static final Duration DISK_WRITTEN_EVERY = Duration.ofSeconds(1);

    private record DiskSize(long bytes, long measuredAtNanos, long writtenThen) {}

    /** How long a stop waits for a killed process to be gone. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    /**
     * @param root where container directories go
     * @param javaHome a JDK whose {@code bin} goes first on the containers' {@code PATH}, so that
     *     {@code java -jar} finds a current Java
     * @param packages where images' packages come from
     */
    public ProcessRuntime(Path root, Path javaHome, Packages packages) {
        this.root = root;
        this.javaBin = javaHome.resolve("bin").toString();
        this.packages = packages;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + root, e);
        }
    }

    @Override
    public synchronized Status start(ContainerSpec spec) throws IOException {
        Status current = status(spec.id());
        if (current instanceof Status.Running) {
            return current;
        }
        if (io.wharf.core.cluster.ImageRecord.Kind.of(spec.filename())
                .map(io.wharf.core.cluster.ImageRecord.Kind::docker)
                .orElse(false)) {
            throw new IOException("image " + spec.image() + " is a Docker image (" + spec.filename()
                    + "), and this agent runs processes; run it on a host whose agent has --runtime docker");
        }
        long t0 = System.nanoTime();
        Path pkg = packages.get(spec.image(), spec.sha256());
        Path dir = root.resolve(spec.id());
        Files.createDirectories(dir);
        placePackage(spec, pkg, dir);
        mount(dir, spec.volumes());
        long t1 = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder("setsid", "sh", "-c", "exec " + spec.cmd()).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.putAll(spec.env());
        env.put("PATH", javaBin + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("WHARF_IP", spec.ip());
        env.put("PORT", Integer.toString(spec.port()));
        env.put("WHARF_CONTAINER", spec.id());
        pb.redirectOutput(
                ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()));
        pb.redirectError(
                ProcessBuilder.Redirect.appendTo(dir.resolve("stderr.log").toFile()));
        Process p = pb.start();
        Files.writeString(dir.resolve(".image"), spec.image() + "\n", StandardCharsets.UTF_8);
        Instant started = p.toHandle().info().startInstant().orElse(Instant.EPOCH);
        Files.writeString(dir.resolve("pid"), p.pid() + " " + started.toEpochMilli() + "\n", StandardCharsets.UTF_8);
        children.put(spec.id(), p);
        cgroups.apply(spec.id(), p.pid(), spec.cpuMillis(), spec.memoryMb());
        log.info(
                "container started id={} pid={} endpoint={}_{} cmd=\"{}\" create_ms={} start_ms={}",
                spec.id(),
                p.pid(),
                spec.ip(),
                spec.port(),
                spec.cmd(),
                (t1 - t0) / 1_000_000,
                (System.nanoTime() - t1) / 1_000_000);
        return new Status.Running("pid-" + p.pid(), p.pid());
    }

    @Override
    public Optional<Integer> exec(String id, String command, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        Path dir = root.resolve(id);
        ProcessBuilder pb = new ProcessBuilder("setsid", "sh", "-c", command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> e = pb.environment();
        e.putAll(env);
        e.put("PATH", javaBin + ":" + e.getOrDefault("PATH", "/usr/bin:/bin"));
        e.put("WHARF_CONTAINER", id);
        Process p = pb.start();
        if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) return Optional.of(p.exitValue());
        // its own session: whatever it started goes with it
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        return Optional.empty();
    }

    @Override
    public Optional<String> image(String id) {
        Path marker = root.resolve(id).resolve(".image");
        try {
            return Files.exists(marker) ? Optional.of(Files.readString(marker).trim()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Makes each volume appear at its path in the container's directory, as a symbolic link to the host
     * directory that holds it. A path the package itself uses for a file or a non-empty directory is refused:
     * the volume would hide it.
     */
    private static void mount(Path dir, Map<String, Path> volumes) throws IOException {
        for (var v : volumes.entrySet()) {
            Path at = dir.resolve(v.getKey()).normalize();
            if (!at.startsWith(dir)) throw new IOException("volume path " + v.getKey() + " leaves " + dir);
            Files.createDirectories(at.getParent());
            if (Files.isSymbolicLink(at)) {
                if (Files.readSymbolicLink(at).equals(v.getValue())) continue;
                Files.delete(at);
            } else if (Files.isDirectory(at)) {
                try (Stream<Path> inside = Files.list(at)) {
                    if (inside.findAny().isPresent()) {
                        throw new IOException("the package has files at " + v.getKey()
                                + "; a volume mounted there would hide them (choose another path)");
                    }
                }
                Files.delete(at);
            } else if (Files.exists(at)) {
                throw new IOException("the package has a file at " + v.getKey() + "; a volume cannot be mounted there");
            }
            Files.createSymbolicLink(at, v.getValue());
        }
    }

    private static void placePackage(ContainerSpec spec, Path pkg, Path dir) throws IOException {
        Path marker = dir.resolve(".package");
        String digest = spec.sha256();
        if (Files.exists(marker) && Files.readString(marker).trim().equals(digest)) {
            return;
        }
        if (spec.filename().endsWith(".tar.gz")) {
            Process tar = new ProcessBuilder("tar", "-xzf", pkg.toString(), "-C", dir.toString())
                    .redirectErrorStream(true)
                    .start();
            try {
                if (!tar.waitFor(120, TimeUnit.SECONDS) || tar.exitValue() != 0) {
                    throw new IOException("unpacking " + spec.filename() + " failed: "
                            + new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while unpacking", e);
            }
        } else {
            Files.copy(pkg, dir.resolve(spec.filename()), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(marker, digest + "\n");
    }

    /**
     * Read from {@code /proc}: resident memory, user plus system CPU time and storage I/O of the process (and of
     * the children it has reaped); the size of the container's files, measured at most every {@link
     * #DISK_EVERY}.
     */
    @Override
    public Optional<Stats> stats(String id) {
        return handle(id).map(h -> {
            long[] io = ProcStats.storageIo(h.pid());
            return new Stats(
                    ProcStats.rssBytes(h.pid()), ProcStats.cpuSeconds(h.pid()), diskBytes(id, io[1]), io[0], io[1]);
        });
    }

    /**
     * The size of a container's files as last measured. A measurement that is due runs on a thread of its own
     * and is reported from the next call on, so that walking a large directory never holds up a heartbeat.
     */
    private long diskBytes(String id, long written) {
        long now = System.nanoTime();
        DiskSize known = diskSizes.get(id);
        if (known != null) {
            long age = now - known.measuredAtNanos();
            boolean wrote = written != known.writtenThen();
            if (age < (wrote ? DISK_WRITTEN_EVERY : DISK_EVERY).toNanos()) return known.bytes();
        }
        // due: keep the old figure (and its time, so that it is not asked for twice) until the walk is done
        long bytes = known != null ? known.bytes() : 0;
        diskSizes.put(id, new DiskSize(bytes, now, written));
        Thread.ofVirtual().name("wharf-disk-" + id).start(() -> {
            long measured = measure(root.resolve(id), bytes);
            diskSizes.computeIfPresent(id, (k, d) -> new DiskSize(measured, d.measuredAtNanos(), d.writtenThen()));
        });
        return bytes;
    }

    private static long measure(Path dir, long otherwise) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.mapToLong(f -> {
                        try {
                            return Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? Files.size(f) : 0;
                        } catch (IOException e) {
                            return 0; // removed while walking
                        }
                    })
                    .sum();
        } catch (IOException | UncheckedIOException e) {
            return otherwise;
        }
    }

    @Override
    public Map<String, Status> running() {
        Map<String, Status> found = new HashMap<>();
        try (Stream<Path> dirs = Files.list(root)) {
            dirs.filter(Files::isDirectory).forEach(d -> {
                String id = d.getFileName().toString();
                if (status(id) instanceof Status.Running r) {
                    found.put(id, r);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        return found;
    }

    @Override
    public Status status(String id) {
        Process child = children.get(id);
        if (child != null && !child.isAlive()) {
            // kept until the next start or removal, so that every caller learns how it ended
            return new Status.Exited(describeExit(child.exitValue()));
        }
        Optional<ProcessHandle> handle = handle(id);
        if (handle.isPresent()) {
            return new Status.Running("pid-" + handle.get().pid(), handle.get().pid());
        }
        return Files.exists(root.resolve(id).resolve("pid"))
                ? new Status.Exited("exited (started before this agent)")
                : new Status.Unknown();
    }

    private static String describeExit(int code) {
        return code > 128 ? "killed by signal " + (code - 128) : "exit code " + code;
    }

    /** The live process recorded in the pid file, if it is still the same process (same start time). */
    private Optional<ProcessHandle> handle(String id) {
        Path pidFile = root.resolve(id).resolve("pid");
        try {
            if (!Files.exists(pidFile)) return Optional.empty();
            String[] parts = Files.readString(pidFile).trim().split(" ");
            long pid = Long.parseLong(parts[0]);
            long startedMillis = Long.parseLong(parts[1]);
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> h.info()
                    .startInstant()
                    .map(Instant::toEpochMilli)
                    .map(m -> Math.abs(m - startedMillis) < 1000)
                    .orElse(false));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public void stop(String id, Duration grace) {
        Optional<ProcessHandle> handle = handle(id);
        if (handle.isEmpty()) {
            return;
        }
        ProcessHandle h = handle.get();
        var descendants = h.descendants().toList();
        h.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            h.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            log.warn("container did not stop in time id={} grace={}; killing it", id, grace);
            h.destroyForcibly();
            descendants.forEach(ProcessHandle::destroyForcibly);
            // returns when it has stopped: a killed process is gone once the kernel has reaped it
            try {
                h.onExit().get(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException stuck) {
                log.warn("container still there {} after SIGKILL id={}", KILL_WAIT, id);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            h.destroyForcibly();
        }
        children.remove(id);
        log.info("container stopped id={} pid={}", id, h.pid());
    }

    @Override
    public void remove(String id) throws IOException {
        cgroups.remove(id);
        diskSizes.remove(id);
        children.remove(id);
        Path dir = root.resolve(id);
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The last {@link #OUTPUT_TAIL} bytes of its {@code stdout.log}. */
    @Override
    public String output(String id) {
        Path file = root.resolve(id).resolve("stdout.log");
        try (var f = java.nio.channels.FileChannel.open(file)) {
            long from = Math.max(0, f.size() - OUTPUT_TAIL);
            var buf = java.nio.ByteBuffer.allocate((int) (f.size() - from));
            while (buf.hasRemaining() && f.read(buf, from + buf.position()) > 0) {
                // reads to the end
            }
            return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final int OUTPUT_TAIL = 1 << 20;
}
