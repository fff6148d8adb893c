package io.wharf.agent;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Resource use of the host and of single processes, read from the JVM and {@code /proc}. */
final class HostStats {
    private HostStats() {}

    static Map<String, Object> usage(Path dataDir) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long total = os.getTotalMemorySize() >> 20;
        long free = os.getFreeMemorySize() >> 20;
        long disk;
        try {
            disk = Files.getFileStore(dataDir).getUsableSpace() >> 20;
        } catch (IOException e) {
            disk = -1;
        }
        return ServerClient.map(
                "cpuLoad",
                Math.max(0, os.getCpuLoad()),
                "memoryUsedMb",
                total - free,
                "memoryTotalMb",
                total,
                "diskFreeMb",
                disk);
    }

    /** Resident memory of a process in bytes, 0 if unknown. */
    static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not Linux
        }
        return 0;
    }

    /** CPU time of a process in seconds (user + system), 0 if unknown. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
