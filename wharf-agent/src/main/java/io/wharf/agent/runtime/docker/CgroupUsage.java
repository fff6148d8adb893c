package io.wharf.agent.runtime.docker;

import io.wharf.agent.runtime.ProcStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A container's memory and CPU time read from its control groups on this host, found through {@code
 * /proc/PID/cgroup} of one of its processes: cgroup v1 ({@code memory.stat}'s {@code total_rss},
 * {@code cpuacct.usage}) or v2 ({@code memory.stat}'s {@code anon}, {@code cpu.stat}'s {@code usage_usec}). Reading
 * a few files costs far less than asking the engine for its stats, which it samples for each request.
 */
final class CgroupUsage {
    private final Path root;

    CgroupUsage(Path root) {
        this.root = root;
    }

    /**
     * Resident memory in bytes, CPU time in nanoseconds, and the storage its processes read and wrote ({@code
     * /proc/PID/io} of each process in the group; that of its first process also counts the processes it reaped).
     */
    record Usage(long rssBytes, long cpuNanos, long readBytes, long writtenBytes) {}

    /** The usage of the groups process {@code pid} is in; empty if the process or its groups cannot be read. */
    Optional<Usage> of(long pid) {
        Map<String, String> groups = new HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"))) {
                String[] f = line.split(":", 3);
                if (f.length < 3) continue;
                if (f[1].isEmpty()) groups.put("", f[2]);
                for (String controller : f[1].split(",")) groups.put(controller, f[2]);
            }
            if (groups.containsKey("memory") && groups.containsKey("cpuacct")) {
                Path memory = root.resolve("memory" + groups.get("memory"));
                long rss = stat(memory.resolve("memory.stat"), "total_rss");
                long cpu = Long.parseLong(Files.readString(
                                root.resolve("cpuacct" + groups.get("cpuacct")).resolve("cpuacct.usage"))
                        .trim());
                long[] io = io(memory.resolve("cgroup.procs"));
                return Optional.of(new Usage(rss, cpu, io[0], io[1]));
            }
            if (groups.containsKey("")) {
                Path dir = root.resolve(groups.get("").substring(1));
                long rss = stat(dir.resolve("memory.stat"), "anon");
                long cpu = stat(dir.resolve("cpu.stat"), "usage_usec") * 1000;
                long[] io = io(dir.resolve("cgroup.procs"));
                return Optional.of(new Usage(rss, cpu, io[0], io[1]));
            }
        } catch (IOException | RuntimeException e) {
            // gone, not ours to read, or not this kind of host
        }
        return Optional.empty();
    }

    /** The storage read and written by the processes listed in {@code procs}. */
    private static long[] io(Path procs) throws IOException {
        long[] total = new long[2];
        for (String pid : Files.readAllLines(procs)) {
            if (pid.isBlank()) continue;
            long[] io = ProcStats.storageIo(Long.parseLong(pid.trim()));
            total[0] += io[0];
            total[1] += io[1];
        }
        return total;
    }

    private static long stat(Path file, String key) throws IOException {
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith(key + " "))
                return Long.parseLong(line.substring(key.length() + 1).trim());
        }
        throw new IOException(file + " has no " + key);
    }
}
