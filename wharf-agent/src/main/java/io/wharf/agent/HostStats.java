package io.wharf.agent;

import io.wharf.client.wire.Usage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** The host's resource use, read from the JVM and the file system. */
final class HostStats {
    private HostStats() {}

    static Usage usage(Path dataDir) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long total = os.getTotalMemorySize() >> 20;
        long free = os.getFreeMemorySize() >> 20;
        long disk;
        try {
            disk = Files.getFileStore(dataDir).getUsableSpace() >> 20;
        } catch (IOException e) {
            disk = -1;
        }
        return new Usage(Math.max(0, os.getCpuLoad()), total - free, total, disk);
    }
}
