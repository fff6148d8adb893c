package io.wharf.agent.runtime.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CPU and memory limits through cgroups, where the host lets the agent write them: cgroup v2 (one
 * {@code wharf/ID} group with {@code cpu.max} and {@code memory.max}) or v1 (groups under the {@code cpu}
 * and {@code memory} hierarchies with {@code cpu.cfs_quota_us} and {@code memory.limit_in_bytes}). A
 * process joins its group right after it starts. Where neither is writable, limits are not enforced and
 * the agent says so once.
 */
final class Cgroups {
    private static final Logger log = LoggerFactory.getLogger(Cgroups.class);
    private static final long PERIOD_US = 100_000;

    private enum Mode {
        V2,
        V1,
        NONE
    }

    private final Path root;
    private final Mode mode;

    Cgroups(Path root) {
        this.root = root;
        this.mode = detect(root);
        switch (mode) {
            case V2 -> log.info("resource limits: cgroup v2 under {}", root.resolve("wharf"));
            case V1 -> log.info("resource limits: cgroup v1 (cpu, memory) under {}", root);
            case NONE -> log.warn("resource limits: not enforced (no writable cgroup hierarchy under {})", root);
        }
    }

    private static Mode detect(Path root) {
        if (Files.exists(root.resolve("cgroup.controllers")) && Files.isWritable(root)) return Mode.V2;
        if (Files.isWritable(root.resolve("memory")) && Files.isWritable(root.resolve("cpu"))) return Mode.V1;
        return Mode.NONE;
    }

    boolean enforced() {
        return mode != Mode.NONE;
    }

    /** Puts {@code pid} in the container's groups with its limits; 0 means no limit. */
    void apply(String id, long pid, long cpuMillis, long memoryMb) {
        if (mode == Mode.NONE || (cpuMillis <= 0 && memoryMb <= 0)) return;
        try {
            for (Path group : groups(id)) {
                Files.createDirectories(group);
            }
            if (mode == Mode.V2) {
                Path g = groups(id).get(0);
                if (cpuMillis > 0)
                    Files.writeString(g.resolve("cpu.max"), cpuMillis * PERIOD_US / 1000 + " " + PERIOD_US);
                if (memoryMb > 0) Files.writeString(g.resolve("memory.max"), Long.toString(memoryMb << 20));
                Files.writeString(g.resolve("cgroup.procs"), Long.toString(pid));
            } else {
                Path cpu = groups(id).get(0);
                Path mem = groups(id).get(1);
                if (cpuMillis > 0) {
                    Files.writeString(cpu.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_US));
                    Files.writeString(cpu.resolve("cpu.cfs_quota_us"), Long.toString(cpuMillis * PERIOD_US / 1000));
                }
                if (memoryMb > 0)
                    Files.writeString(mem.resolve("memory.limit_in_bytes"), Long.toString(memoryMb << 20));
                Files.writeString(cpu.resolve("cgroup.procs"), Long.toString(pid));
                Files.writeString(mem.resolve("cgroup.procs"), Long.toString(pid));
            }
        } catch (IOException e) {
            log.warn("resource limits not applied id={} reason=\"{}\"", id, e.getMessage());
        }
    }

    /** Removes the container's groups once its processes are gone. */
    void remove(String id) {
        if (mode == Mode.NONE) return;
        for (Path group : groups(id)) {
            try {
                Files.deleteIfExists(group);
            } catch (IOException e) {
                log.debug("cgroup not removed group={} reason=\"{}\"", group, e.getMessage());
            }
        }
    }

    private List<Path> groups(String id) {
        return mode == Mode.V2
                ? List.of(root.resolve("wharf").resolve(id))
                : List.of(
                        root.resolve("cpu").resolve("wharf").resolve(id),
                        root.resolve("memory").resolve("wharf").resolve(id));
    }
}
