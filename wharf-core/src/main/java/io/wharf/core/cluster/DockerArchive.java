package io.wharf.core.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * What a Docker image archive ({@code docker save}'s tar, in the Docker or the OCI layout) holds: the one
 * image it carries, by the id Docker gives it once loaded ({@code sha256:} and the digest of its
 * configuration), and the tags it was saved with.
 *
 * @param imageId {@code sha256:HEX}
 * @param repoTags the tags it was saved with; may be empty
 */
public record DockerArchive(String imageId, List<String> repoTags) {
    /** A Docker image archive's file name ends so; the agent {@code docker load}s it. */
    public static final String SUFFIX = ".docker.tar";

    /** The largest {@code manifest.json} read. */
    private static final int MAX_MANIFEST = 1 << 20;

    private static final Pattern CONFIG = Pattern.compile("(?:blobs/sha256/)?([0-9a-f]{64})(?:\\.json)?");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The file is not an archive of exactly one Docker image. */
    public static final class NotAnImageException extends IOException {
        NotAnImageException(String message) {
            super(message);
        }
    }

    /** Reads the archive at {@code file}. */
    public static DockerArchive read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    /**
     * Reads an archive from {@code in}, up to its {@code manifest.json}.
     *
     * @throws NotAnImageException if it is not a tar, has no manifest, or its manifest does not name exactly
     *     one image
     */
    public static DockerArchive read(InputStream in) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(new BufferedInputStream(in));
        TarArchiveEntry entry;
        try {
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.getName().equals("manifest.json") || entry.getName().equals("./manifest.json")) {
                    if (entry.getSize() > MAX_MANIFEST) {
                        throw new NotAnImageException("its manifest.json is larger than " + MAX_MANIFEST + " bytes");
                    }
                    return parse(tar.readNBytes(MAX_MANIFEST));
                }
            }
        } catch (NotAnImageException e) {
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            throw new NotAnImageException("not a tar archive (" + e.getMessage() + ")");
        }
        throw new NotAnImageException("a tar archive without manifest.json (expected: the output of docker save)");
    }

    private static DockerArchive parse(byte[] manifest) throws NotAnImageException {
        JsonNode root;
        try {
            root = JSON.readTree(manifest);
        } catch (IOException e) {
            throw new NotAnImageException("its manifest.json is not JSON");
        }
        if (root == null || !root.isArray() || root.size() != 1) {
            throw new NotAnImageException("its manifest.json names "
                    + (root != null && root.isArray() ? root.size() : 0)
                    + " images (expected: one; save one image per archive)");
        }
        JsonNode image = root.get(0);
        Matcher config = CONFIG.matcher(image.path("Config").asText(""));
        if (!config.matches()) {
            throw new NotAnImageException(
                    "its manifest.json has no image configuration digest (Config: '" + image.path("Config") + "')");
        }
        List<String> tags = new ArrayList<>();
        image.path("RepoTags").forEach(t -> tags.add(t.asText()));
        return new DockerArchive("sha256:" + config.group(1), List.copyOf(tags));
    }
}
