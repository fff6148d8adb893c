package io.wharf.lb.haproxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HAProxy in master-worker mode, its files in one directory: {@code haproxy.cfg}, {@code haproxy.pid}
 * (the master's), {@code master.sock}, {@code stats.sock} (the worker's runtime API), {@code haproxy.log}.
 * Configurations are checked with {@code haproxy -c} before they are used; a new one is loaded by starting
 * HAProxy or by a {@code reload} on the master socket, which hands the listeners to a new worker while the old
 * one finishes its connections. One left running by an earlier process is adopted.
 */
final class HaproxyProcess {
    private static final Logger log = LoggerFactory.getLogger(HaproxyProcess.class);
    private static final Pattern VERSION = Pattern.compile("HA-?Proxy version (\\d+)\\.(\\d+)");
    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(30);

    private final Path dir;
    private final String binary;
    private final RuntimeApi api;
    private volatile @Nullable ProcessHandle master;
    private volatile boolean stopping;
    private volatile @Nullable Runnable onDeath;

    private HaproxyProcess(Path dir, String binary, RuntimeApi api) {
        this.dir = dir;
        this.binary = binary;
        this.api = api;
    }

    /**
     * HAProxy at {@code binary}, its files in {@code dir}.
     *
     * @throws IOException if it is missing or older than 2.6, saying which
     */
    static HaproxyProcess of(Path dir, String binary, RuntimeApi api) throws IOException {
        String version;
        try {
            Process p =
                    new ProcessBuilder(binary, "-v").redirectErrorStream(true).start();
            version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IOException(
                    "HAProxy not found ('" + binary + "'): install it (apt-get install haproxy) or give its path");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted asking HAProxy its version");
        }
        Matcher m = VERSION.matcher(version);
        if (!m.find()) throw new IOException("'" + binary + " -v' is not HAProxy's: " + version.strip());
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        if (major < 2 || (major == 2 && minor < 6)) {
            throw new IOException("HAProxy " + major + "." + minor + " is too old: 2.6 or newer is needed");
        }
        Files.createDirectories(dir);
        return new HaproxyProcess(dir, binary, api);
    }

    /**
     * Runs {@code r} when a HAProxy that was serving — started here, or adopted — dies without being stopped. It
     * must only hand off.
     */
    void onDeath(Runnable r) {
        this.onDeath = r;
    }

    private void watch(ProcessHandle m) {
        m.onExit().thenRun(() -> {
            Runnable r = onDeath;
            // a HAProxy stopped by whoever ran it has no pid file any more (see stop): not started again
            if (!stopping && master == m && r != null && Files.exists(dir.resolve("haproxy.pid"))) {
                log.warn("HAProxy (master pid {}) died", m.pid());
                r.run();
            }
        });
    }

    Path configFile() {
        return dir.resolve("haproxy.cfg");
    }

    /** Takes over the HAProxy an earlier process left running here (its pid file, its sockets); whether it did. */
    boolean adopt() {
        Path pidFile = dir.resolve("haproxy.pid");
        try {
            if (!Files.exists(pidFile)) return false;
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            Optional<ProcessHandle> running = ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().orElse("").contains("haproxy"));
            if (running.isPresent() && !api.pid().isEmpty()) {
                master = running.get();
                watch(running.get());
                log.info("HAProxy (master pid {}) adopted: it serves on while the routes are applied", pid);
                return true;
            }
        } catch (IOException | NumberFormatException e) {
            log.debug("no HAProxy to adopt: {}", e.toString());
        }
        return false;
    }

    boolean running() {
        return master != null && master.isAlive();
    }

    /**
     * Checks {@code text} with {@code haproxy -c} and loads it: HAProxy's message if it refused it (the file
     * kept as {@code haproxy.cfg.rejected}) or could not load it (the running configuration serving on).
     */
    @Nullable
    String load(String text) {
        try {
            Path candidate = dir.resolve("haproxy.cfg.new");
            Files.writeString(candidate, text);
            Process check = new ProcessBuilder(binary, "-c", "-f", candidate.toString())
                    .redirectErrorStream(true)
                    .start();
            String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!check.waitFor(30, TimeUnit.SECONDS) || check.exitValue() != 0) {
                Files.move(candidate, dir.resolve("haproxy.cfg.rejected"), StandardCopyOption.REPLACE_EXISTING);
                log.error("HAProxy refused the configuration (kept in haproxy.cfg.rejected): {}", said.strip());
                return "HAProxy refused the configuration: " + said.strip();
            }
            Files.move(candidate, configFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return running() ? reload() : start();
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private @Nullable String start() throws IOException, InterruptedException {
        Files.deleteIfExists(dir.resolve("stats.sock"));
        long logged = logSize();
        master = new ProcessBuilder(
                        binary,
                        "-W",
                        "-f",
                        configFile().toString(),
                        "-S",
                        dir.resolve("master.sock").toString(),
                        "-p",
                        dir.resolve("haproxy.pid").toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("haproxy.log").toFile()))
                .start()
                .toHandle();
        ProcessHandle started = master;
        String problem = awaitWorker("", logged);
        if (problem == null) watch(started); // a HAProxy that never served is not started again and again
        return problem;
    }

    private @Nullable String reload() throws IOException, InterruptedException {
        String before = api.pid();
        long logged = logSize();
        new RuntimeApi(dir.resolve("master.sock")).run(List.of("reload"));
        return awaitWorker(before, logged);
    }

    private long logSize() throws IOException {
        Path logFile = dir.resolve("haproxy.log");
        return Files.exists(logFile) ? Files.size(logFile) : 0;
    }

    /**
     * Waits for a worker other than {@code before} to answer on the stats socket; HAProxy's alert if the
     * master says, after {@code logged} bytes of its log, that the new worker could not start (a port taken,
     * say), the old one serving on.
     */
    private @Nullable String awaitWorker(String before, long logged) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + LOAD_TIMEOUT.toNanos();
        Path logFile = dir.resolve("haproxy.log");
        while (System.nanoTime() < deadline) {
            if (!running()) return "HAProxy stopped: " + tail(logFile);
            String since = logSize() > logged
                    ? new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8).substring((int) logged)
                    : "";
            if (since.contains("[ALERT]")) {
                return "HAProxy could not load the configuration: "
                        + since.strip().replace('\n', ' ');
            }
            String pid = api.pid();
            if (!pid.isEmpty() && !pid.equals(before)) return null;
            Thread.sleep(20);
        }
        return "HAProxy's worker did not answer within " + LOAD_TIMEOUT.toSeconds() + " s: " + tail(logFile);
    }

    private static String tail(Path file) throws IOException {
        if (!Files.exists(file)) return "";
        List<String> lines = Files.readAllLines(file);
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }

    /** Stops HAProxy: its master, then its workers. */
    void stop() {
        stopping = true;
        ProcessHandle m = master;
        if (m == null) return;
        try {
            // first, so that no one watching this HAProxy takes its end for a death
            Files.deleteIfExists(dir.resolve("haproxy.pid"));
        } catch (IOException e) {
            log.debug("HAProxy's pid file: {}", e.toString());
        }
        m.destroy();
        try {
            m.onExit().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            m.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            m.destroyForcibly();
        }
    }
}
