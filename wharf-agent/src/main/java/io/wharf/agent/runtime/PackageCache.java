package io.wharf.agent.runtime;

import io.wharf.client.WharfClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Packages kept by sha256 in a directory of the agent, downloaded from the server's artifact store the first
 * time a container needs one and verified on the way; two containers asking at once share one download.
 */
public final class PackageCache implements Packages {
    private static final Logger log = LoggerFactory.getLogger(PackageCache.class);

    private final Path dir;
    private final WharfClient client;
    private final ConcurrentMap<String, Object> downloading = new ConcurrentHashMap<>();

    public PackageCache(Path dir, WharfClient client) {
        this.dir = dir;
        this.client = client;
    }

    @Override
    public Path get(String image, String sha256) {
        Path pkg = dir.resolve(sha256);
        if (Files.exists(pkg)) return pkg;
        synchronized (downloading.computeIfAbsent(sha256, s -> new Object())) {
            if (!Files.exists(pkg)) {
                log.info("downloading image={} sha256={}", image, sha256);
                String[] ref = image.split(":", 2);
                client.hosts().downloadPackage(ref[0], ref[1], sha256, pkg);
            }
        }
        return pkg;
    }
}
