package io.wharf.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Statistics;
import io.wharf.agent.runtime.ContainerRuntime.Stats;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What Docker containers use. Memory (without the page cache) and CPU time: on the engine's host from the
 * container's control groups, read at each call; else (a remote engine) from the engine's stats, asked in the
 * background at most every {@link #STATS_EVERY}. Storage I/O from the engine's block I/O counts, or from {@code
 * /proc} of the processes of the container's group. The size of its writable layer is asked of the engine at most
 * every {@link #DISK_EVERY}. Where an answer is awaited, the figures of the last one are given.
 */
final class DockerUsage {
    /** How often a running container's memory and CPU are asked for (Docker's stats take a while to answer). */
    static final Duration STATS_EVERY = Duration.ofSeconds(1);

    /** How often the size of a container's writable layer is asked for (the engine walks it to answer). */
    static final Duration DISK_EVERY = Duration.ofSeconds(10);

    private final DockerClient docker;
    private final CgroupUsage cgroups;
    private final Map<String, Usage> usage = new ConcurrentHashMap<>();

    /** Its resource use as last asked, and when each part was asked for. */
    private record Usage(Stats stats, long statsAtNanos, long diskAtNanos, boolean asking) {}

    DockerUsage(DockerClient docker, CgroupUsage cgroups) {
        this.docker = docker;
        this.cgroups = cgroups;
    }

    /** The use of the running container {@code id}, the engine's {@code dockerId}, whose first process is {@code pid}. */
    Optional<Stats> of(String id, String dockerId, long pid) {
        // on the engine's host, the container's groups tell memory and CPU at once, and the engine is asked
        // only for the size of its files
        Optional<CgroupUsage.Usage> local = pid > 0 ? cgroups.of(pid) : Optional.empty();
        long now = System.nanoTime();
        Usage u = usage.get(id);
        Duration every = local.isPresent() ? DISK_EVERY : STATS_EVERY;
        if (u == null || (!u.asking() && now - u.statsAtNanos() > every.toNanos())) {
            Usage asking = u == null ? new Usage(null, now, now - DISK_EVERY.toNanos() - 1, true) : withAsking(u);
            if (u == null ? usage.putIfAbsent(id, asking) == null : usage.replace(id, u, asking)) {
                boolean engineStats = local.isEmpty();
                Thread.ofVirtual().name("wharf-docker-stats-" + id).start(() -> ask(id, dockerId, pid, engineStats));
            }
        }
        if (local.isPresent()) {
            Usage known = usage.get(id);
            long disk =
                    known == null || known.stats() == null ? 0 : known.stats().diskBytes();
            var l = local.get();
            return Optional.of(new Stats(l.rssBytes(), l.cpuNanos() / 1e9, disk, l.readBytes(), l.writtenBytes()));
        }
        return Optional.ofNullable(usage.get(id)).map(Usage::stats);
    }

    private static Usage withAsking(Usage u) {
        return new Usage(u.stats(), u.statsAtNanos(), u.diskAtNanos(), true);
    }

    /** Asks the engine for the size of the container's files (when due) and, with {@code engineStats}, its stats. */
    private void ask(String id, String dockerId, long pid, boolean engineStats) {
        Usage before = usage.get(id);
        if (before == null) return;
        long now = System.nanoTime();
        Stats old = before.stats() != null ? before.stats() : new Stats(0, 0, 0, 0, 0);
        long disk = old.diskBytes();
        long diskAt = before.diskAtNanos();
        try {
            if (now - diskAt > DISK_EVERY.toNanos()) {
                Long rw = docker.inspectContainerCmd(dockerId)
                        .withSize(true)
                        .exec()
                        .getSizeRw();
                disk = rw == null ? 0 : rw;
                diskAt = now;
            }
            var answer = new ResultCallback.Adapter<Statistics>() {
                volatile Statistics last;

                @Override
                public void onNext(Statistics object) {
                    last = object;
                }
            };
            if (engineStats) {
                docker.statsCmd(dockerId).withNoStream(true).exec(answer).awaitCompletion(30, TimeUnit.SECONDS);
            }
            Stats stats = answer.last != null
                    ? of(answer.last, disk, pid)
                    : new Stats(old.rssBytes(), old.cpuSeconds(), disk, old.diskReadBytes(), old.diskWriteBytes());
            long measuredDiskAt = diskAt;
            usage.computeIfPresent(id, (k, u) -> new Usage(stats, System.nanoTime(), measuredDiskAt, false));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            usage.computeIfPresent(id, (k, u) -> new Usage(u.stats(), System.nanoTime(), u.diskAtNanos(), false));
        } catch (RuntimeException e) {
            usage.computeIfPresent(id, (k, u) -> new Usage(u.stats(), System.nanoTime(), u.diskAtNanos(), false));
        }
    }

    /**
     * Figures from the engine's stats. Where the engine counts no block I/O (cgroup v1 hosts whose block devices
     * the blkio controller does not account), it is read from {@code /proc} of the processes in the container's
     * group, where this host has them.
     */
    private Stats of(Statistics st, long disk, long pid) {
        var mem = st.getMemoryStats();
        long rss = 0;
        if (mem != null) {
            var detail = mem.getStats();
            if (detail != null && detail.getRss() != null) {
                rss = detail.getRss(); // cgroup v1
            } else if (mem.getUsage() != null) {
                // cgroup v2, as docker stats shows it: without the page cache it could drop
                long inactive = detail != null && detail.getInactiveFile() != null ? detail.getInactiveFile() : 0;
                rss = Math.max(0, mem.getUsage() - inactive);
            }
        }
        var cpu = st.getCpuStats();
        double cpuSeconds =
                cpu == null || cpu.getCpuUsage() == null || cpu.getCpuUsage().getTotalUsage() == null
                        ? 0
                        : cpu.getCpuUsage().getTotalUsage() / 1e9;
        long read = 0;
        long written = 0;
        var blkio = st.getBlkioStats();
        if (blkio != null && blkio.getIoServiceBytesRecursive() != null) {
            for (var entry : blkio.getIoServiceBytesRecursive()) {
                if (entry.getValue() == null || entry.getOp() == null) continue;
                if (entry.getOp().equalsIgnoreCase("read")) read += entry.getValue();
                if (entry.getOp().equalsIgnoreCase("write")) written += entry.getValue();
            }
        }
        if (read == 0 && written == 0 && pid > 0) {
            var local = cgroups.of(pid);
            read = local.map(CgroupUsage.Usage::readBytes).orElse(0L);
            written = local.map(CgroupUsage.Usage::writtenBytes).orElse(0L);
        }
        return new Stats(rss, cpuSeconds, disk, read, written);
    }

    /** The container is not running: nothing is kept of it. */
    void forget(String id) {
        usage.remove(id);
    }
}
