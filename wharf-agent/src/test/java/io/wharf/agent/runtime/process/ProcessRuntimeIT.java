package io.wharf.agent.runtime.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.agent.runtime.ContainerRuntime;
import io.wharf.agent.runtime.ContainerRuntime.Status;
import io.wharf.agent.runtime.ContainerRuntimeContract;
import io.wharf.agent.runtime.ContainerSpec;
import io.wharf.agent.runtime.Packages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ProcessRuntimeIT extends ContainerRuntimeContract {
    @Override
    protected ContainerRuntime newRuntime(Path root, Packages packages) {
        return new ProcessRuntime(root, Path.of(System.getProperty("java.home")), packages);
    }

    @Override
    protected boolean leftBehind(String id) {
        return Files.exists(dir.resolve("containers").resolve(id));
    }

    private boolean limitsEnforced;

    @BeforeEach
    void checkCgroups() {
        limitsEnforced = new Cgroups(Path.of("/sys/fs/cgroup")).enforced();
    }

    private void requireLimits() {
        if (!limitsEnforced) {
            String why = "no writable cgroup hierarchy on this host";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(why + " (CI=true: resource limits must be tested)");
            }
            Assumptions.abort(why);
        }
    }

    private ContainerSpec limited(String id, String cmd, long cpuMillis, long memoryMb) {
        return with(spec(id, cmd), packageName(), cpuMillis, memoryMb);
    }

    @Test
    @DisplayName("a container over its memory limit is killed")
    void memoryLimit() throws Exception {
        requireLimits();
        // the JVM touches all of a 256 MiB heap at start; the container may use 64 MiB
        runtime.start(limited(
                "a.mem.0", "sh -c 'sleep 0.3; exec java -Xms256m -Xmx256m -XX:+AlwaysPreTouch -version'", 0, 64));
        await().atMost(Duration.ofSeconds(20)).until(() -> runtime.status("a.mem.0") instanceof Status.Exited);
        assertThat(((Status.Exited) runtime.status("a.mem.0")).exit()).isEqualTo("killed by signal 9");
        runtime.start(limited(
                "a.mem.1", "sh -c 'sleep 0.3; exec java -Xms256m -Xmx256m -XX:+AlwaysPreTouch -version'", 0, 0));
        await().atMost(Duration.ofSeconds(20)).until(() -> runtime.status("a.mem.1") instanceof Status.Exited);
        assertThat(((Status.Exited) runtime.status("a.mem.1")).exit()).isEqualTo("exit code 0");
    }

    @Test
    @DisplayName("a container gets no more CPU than its limit")
    void cpuLimit() throws Exception {
        requireLimits();
        Status.Running r = (Status.Running) runtime.start(limited("a.cpu.0", "sh -c 'while :; do :; done'", 200, 0));
        long start = System.nanoTime();
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
        double wall = (System.nanoTime() - start) / 1e9;
        String[] f = Files.readString(Path.of("/proc", Long.toString(r.pid()), "stat"))
                .split("\\) ")[1]
                .split(" ");
        double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        assertThat(cpu / wall).as("cpu %.2fs in %.2fs", cpu, wall).isLessThan(0.35);
    }
}
