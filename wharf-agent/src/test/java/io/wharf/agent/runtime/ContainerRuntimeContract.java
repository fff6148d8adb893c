package io.wharf.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.agent.runtime.ContainerRuntime.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link ContainerRuntime} must do, on an image made of shell scripts: start, report, stop politely
 * then forcefully, adopt what an earlier instance started, report exits, remove. What a test looks at inside a
 * container it looks at by {@link ContainerRuntime#exec}, in the container's own file system.
 *
 * <p>Where runtimes differ, the contract says so: {@link #bindAddress} (a process listens on its own IP; a
 * Docker container on all of its network namespace, published on its IP).
 */
public abstract class ContainerRuntimeContract {
    @TempDir
    protected Path dir;

    protected ContainerRuntime runtime;
    private Path pkg;

    /**
     * A runtime keeping its containers under {@code root}, taking packages from {@code packages}; called again
     * on the same root to test adoption.
     */
    protected abstract ContainerRuntime newRuntime(Path root, Packages packages);

    /** Every image's package is the one this contract built. */
    protected Packages packages() {
        return (image, sha256) -> pkg;
    }

    /**
     * Makes the runtime's package of the scripts in {@code src} at {@code to} (named {@link #packageName()}),
     * whose command runs in the directory holding them.
     */
    protected void buildPackage(Path src, Path to) throws Exception {
        Process tar = new ProcessBuilder("tar", "-czf", to.toString(), "-C", src.toString(), ".")
                .inheritIO()
                .start();
        assertThat(tar.waitFor(30, TimeUnit.SECONDS) && tar.exitValue() == 0).isTrue();
    }

    /** The package's file name, which tells the runtime what it is. */
    protected String packageName() {
        return "app.tar.gz";
    }

    /** The address a container is told to listen on ({@code WHARF_IP}) when its own IP is {@code ip}. */
    protected String bindAddress(String ip) {
        return ip;
    }

    /** Whether anything of container {@code id} is left on the host (its directory, the engine's container). */
    protected abstract boolean leftBehind(String id) throws Exception;

    /** Whether {@code test}, a shell command, succeeds inside the running container {@code id}. */
    protected boolean inside(String id, String test) throws Exception {
        return runtime.exec(id, test, Map.of(), Duration.ofSeconds(10)).orElse(-1) == 0;
    }

    @BeforeEach
    void setUp() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("app.sh"), """
                env > env.txt
                echo "hello from $WHARF_CONTAINER"
                trap 'echo stopping; exit 0' TERM
                while true; do sleep 0.1; done
                """);
        Files.writeString(src.resolve("stubborn.sh"), """
                trap '' TERM
                while true; do sleep 0.1; done
                """);
        pkg = dir.resolve(packageName());
        buildPackage(src, pkg);
        runtime = newRuntime(dir.resolve("containers"), packages());
    }

    @AfterEach
    void tearDown() {
        runtime.running().keySet().forEach(id -> runtime.stop(id, Duration.ofMillis(100)));
    }

    protected ContainerSpec spec(String id, String cmd) {
        return new ContainerSpec(
                id,
                "app:v1",
                "a".repeat(64),
                packageName(),
                cmd,
                // each its own address, as placement gives them: a runtime that binds it may run them side by side
                "127.0.67." + (2 + Math.floorMod(id.hashCode(), 250)),
                8080,
                Map.of("GREETING", "hi"),
                0,
                0,
                Map.of(),
                false);
    }

    /** {@code s} with another package file name and these limits, and no environment or volumes. */
    protected static ContainerSpec with(ContainerSpec s, String filename, long cpuMillis, long memoryMb) {
        return new ContainerSpec(
                s.id(),
                s.image(),
                s.sha256(),
                filename,
                s.cmd(),
                s.ip(),
                s.port(),
                Map.of(),
                cpuMillis,
                memoryMb,
                Map.of(),
                s.hostNetwork());
    }

    @Test
    @DisplayName("002.1 a container sees its volume at its path; what it writes there outlives the container")
    void volumesOutliveTheContainer() throws Exception {
        Path volume = Files.createDirectories(dir.resolve("volumes/a.db.0/data"));
        ContainerSpec plain = spec("a.db.0", "sh -c 'date >> var/data/log; sleep 60'");
        ContainerSpec withVolume = new ContainerSpec(
                plain.id(),
                plain.image(),
                plain.sha256(),
                plain.filename(),
                plain.cmd(),
                plain.ip(),
                plain.port(),
                plain.env(),
                0,
                0,
                Map.of("var/data", volume),
                false);
        for (int run = 1; run <= 2; run++) {
            runtime.start(withVolume);
            int lines = run;
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Files.exists(volume.resolve("log"))
                            && Files.readAllLines(volume.resolve("log")).size() == lines);
            runtime.stop(plain.id(), Duration.ofSeconds(5));
            runtime.remove(plain.id());
            assertThat(Files.readAllLines(volume.resolve("log"))).hasSize(run);
        }
    }

    @Test
    @DisplayName("004.3 a container runs its image's command with its own IP, port and environment")
    void startsWithItsEnvironment() throws Exception {
        Status s = runtime.start(spec("a.web.0", "sh app.sh"));
        assertThat(s).isInstanceOf(Status.Running.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> inside("a.web.0", "grep -q PORT= env.txt"));
        for (String line : List.of(
                "WHARF_IP=" + bindAddress(spec("a.web.0", "").ip()),
                "PORT=8080",
                "WHARF_CONTAINER=a.web.0",
                "GREETING=hi")) {
            assertThat(inside("a.web.0", "grep -qx '" + line + "' env.txt"))
                    .as(line)
                    .isTrue();
        }
        await().atMost(Duration.ofSeconds(5))
                .until(() -> runtime.output("a.web.0").contains("hello from a.web.0"));
        assertThat(runtime.start(spec("a.web.0", "sh app.sh"))).isEqualTo(s); // already running: the same one
    }

    @Test
    @DisplayName("a command runs where the container runs, with its environment; its exit code, or none past the"
            + " time-out")
    void execsCommands() throws Exception {
        runtime.start(spec("a.web.0", "sh app.sh"));
        await().atMost(Duration.ofSeconds(10)).until(() -> inside("a.web.0", "test -f env.txt"));
        assertThat(runtime.exec(
                        "a.web.0",
                        "test -f env.txt && test \"$WHARF_CONTAINER\" = a.web.0 && test \"$PORT\" = 8080",
                        Map.of("PORT", "8080"),
                        Duration.ofSeconds(10)))
                .contains(0);
        assertThat(runtime.exec("a.web.0", "exit 3", Map.of(), Duration.ofSeconds(10)))
                .contains(3);
        long started = System.nanoTime();
        assertThat(runtime.exec("a.web.0", "sleep 30", Map.of(), Duration.ofMillis(300)))
                .isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    @DisplayName("stop sends SIGTERM and waits; a process that ignores it is killed after the grace period")
    void stopsPolitelyThenForcefully() throws Exception {
        runtime.start(spec("a.web.0", "sh app.sh"));
        runtime.start(spec("a.web.1", "sh stubborn.sh"));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> runtime.output("a.web.0").contains("hello"));
        runtime.stop("a.web.0", Duration.ofSeconds(5));
        assertThat(runtime.status("a.web.0")).isNotInstanceOf(Status.Running.class);
        assertThat(runtime.output("a.web.0")).contains("stopping");
        long start = System.nanoTime();
        runtime.stop("a.web.1", Duration.ofMillis(500));
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isBetween(Duration.ofMillis(400), Duration.ofSeconds(5));
        assertThat(runtime.status("a.web.1")).isNotInstanceOf(Status.Running.class);
    }

    @Test
    @DisplayName("a container that dies is reported with how it ended")
    void reportsExit() throws Exception {
        runtime.start(spec("a.web.0", "sh -c 'exit 3'"));
        await().atMost(Duration.ofSeconds(5)).until(() -> runtime.status("a.web.0") instanceof Status.Exited);
        assertThat(((Status.Exited) runtime.status("a.web.0")).exit()).isNotBlank();
    }

    @Test
    @DisplayName("a new runtime on the same host adopts the running containers instead of starting them again")
    void adopts() throws Exception {
        Status.Running first = (Status.Running) runtime.start(spec("a.web.0", "sh app.sh"));
        ContainerRuntime second = newRuntime(dir.resolve("containers"), packages());
        assertThat(second.running()).containsOnlyKeys("a.web.0");
        assertThat(second.image("a.web.0")).contains("app:v1");
        assertThat(second.status("a.web.0")).isEqualTo(first);
        assertThat(second.start(spec("a.web.0", "sh app.sh"))).isEqualTo(first);
        second.stop("a.web.0", Duration.ofSeconds(5));
        assertThat(second.status("a.web.0")).isNotInstanceOf(Status.Running.class);
        // the first learns of it, a moment later at most
        await().atMost(Duration.ofSeconds(5)).until(() -> !(runtime.status("a.web.0") instanceof Status.Running));
    }

    @Test
    @DisplayName("a running container reports its memory and CPU time; a stopped one reports none")
    void stats() throws Exception {
        runtime.start(spec("a.web.0", "sh -c 'while :; do :; done'"));
        await().atMost(Duration.ofSeconds(10)).until(() -> runtime.stats("a.web.0")
                .map(s -> s.rssBytes() > 0 && s.cpuSeconds() > 0)
                .orElse(false));
        runtime.stop("a.web.0", Duration.ofSeconds(5));
        assertThat(runtime.stats("a.web.0")).isEmpty();
    }

    @Test
    @DisplayName("a running container reports the size of its files and what it wrote to storage")
    void diskStats() throws Exception {
        runtime.start(
                spec(
                        "a.web.0",
                        "sh -c 'dd if=/dev/zero of=blob bs=65536 count=32 conv=fsync 2>/dev/null; while :; do sleep 0.1; done'"));
        await().atMost(Duration.ofSeconds(30)).until(() -> runtime.stats("a.web.0")
                .map(s -> s.diskBytes() >= 2 << 20)
                .orElse(false));
        // tmpfs has no storage to count writes to
        if (!Files.getFileStore(dir).type().equals("tmpfs")) {
            assertThat(runtime.stats("a.web.0").orElseThrow().diskWriteBytes()).isGreaterThanOrEqualTo(2 << 20);
        }
        runtime.stop("a.web.0", Duration.ofSeconds(5));
    }

    @Test
    void removeLeavesNothing() throws Exception {
        runtime.start(spec("a.web.0", "sh app.sh"));
        runtime.stop("a.web.0", Duration.ofSeconds(5));
        assertThat(leftBehind("a.web.0")).isTrue();
        runtime.remove("a.web.0");
        assertThat(leftBehind("a.web.0")).isFalse();
        assertThat(runtime.status("a.web.0")).isInstanceOf(Status.Unknown.class);
    }
}
