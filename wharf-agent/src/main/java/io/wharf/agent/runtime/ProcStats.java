package io.wharf.agent.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What {@code /proc} tells of a process of this host: 0 where it is gone or not ours to read. */
public final class ProcStats {
    private ProcStats() {}

    /** {@code read_bytes} and {@code write_bytes} of {@code /proc/PID/io}: what reached storage. */
    public static long[] storageIo(long pid) {
        long[] io = new long[2];
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "io"))) {
                if (line.startsWith("read_bytes:"))
                    io[0] = Long.parseLong(line.substring(11).trim());
                if (line.startsWith("write_bytes:"))
                    io[1] = Long.parseLong(line.substring(12).trim());
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not ours to read
        }
        return io;
    }

    public static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return 0;
    }

    public static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
