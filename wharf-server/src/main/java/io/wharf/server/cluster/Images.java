package io.wharf.server.cluster;

import io.wharf.core.InvalidInputException;
import io.wharf.core.NotFoundException;
import io.wharf.core.cluster.ImageRecord;
import io.wharf.core.spec.ImageRef;
import io.wharf.server.artifact.ArtifactStore;
import io.wharf.store.ClusterStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** Images of the process runtime: {@code name:version} → a package in the artifact store and its start command. */
public final class Images {
    /** The largest package accepted. */
    public static final long MAX_PACKAGE_BYTES = 512L << 20;

    private final ClusterStore store;
    private final ArtifactStore artifacts;
    private final Clock clock;

    public Images(ClusterStore store, ArtifactStore artifacts, Clock clock) {
        this.store = store;
        this.artifacts = artifacts;
        this.clock = clock;
    }

    /**
     * Stores a package as {@code ref}. A {@code .jar} starts with {@code java -jar FILE} unless told
     * otherwise; a {@code .tar.gz} (unpacked into the container's directory) needs its command.
     */
    public ImageRecord push(ImageRef ref, String filename, Optional<String> cmd, InputStream body) throws IOException {
        if (!filename.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,200}")
                || !(filename.endsWith(".jar") || filename.endsWith(".tar.gz"))) {
            throw InvalidInputException.of(
                    "filename", "'" + filename + "' (expected: a plain file name ending in .jar or .tar.gz)");
        }
        String command = cmd.filter(c -> !c.isBlank()).orElseGet(() -> {
            if (filename.endsWith(".jar")) return "java -jar " + filename;
            throw InvalidInputException.of("cmd", "missing (expected: the start command of a .tar.gz package)");
        });
        if (command.length() > 1024) {
            throw InvalidInputException.of("cmd", "length " + command.length() + " (expected: at most 1024)");
        }
        ArtifactStore.Stored stored;
        try {
            stored = artifacts.put(body, MAX_PACKAGE_BYTES);
        } catch (ArtifactStore.TooLargeException e) {
            throw InvalidInputException.of("body", e.getMessage());
        }
        if (stored.sizeBytes() == 0) {
            throw InvalidInputException.of("body", "empty (expected: the package's bytes)");
        }
        ImageRecord image =
                new ImageRecord(ref, stored.digest(), stored.sizeBytes(), filename, command, clock.instant());
        store.putImage(image);
        return store.image(ref).orElse(image);
    }

    public List<ImageRecord> list() {
        return store.images();
    }

    public ImageRecord get(ImageRef ref) {
        return store.image(ref).orElseThrow(() -> new NotFoundException("image", ref.toString()));
    }

    public Optional<ImageRecord> find(ImageRef ref) {
        return store.image(ref);
    }

    /** The package of an image, on disk. */
    public Path packagePath(ImageRef ref) {
        ImageRecord image = get(ref);
        return artifacts.path(image.digest()).orElseThrow(() -> new NotFoundException("package", image.digest()));
    }
}
