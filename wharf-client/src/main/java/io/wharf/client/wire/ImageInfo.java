package io.wharf.client.wire;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An image: a name and version, and the package it runs.
 */
public final class ImageInfo {
    private final String image;
    private final String name;
    private final String version;
    private final String sha256;
    private final long sizeBytes;
    private final String filename;
    private final String cmd;
    private final Instant createdAt;

    public ImageInfo(
            @Nullable String image,
            @Nullable String name,
            @Nullable String version,
            @Nullable String sha256,
            long sizeBytes,
            @Nullable String filename,
            @Nullable String cmd,
            Instant createdAt) {
        this.image = image == null ? "" : image;
        this.name = name == null ? "" : name;
        this.version = version == null ? "" : version;
        this.sha256 = sha256 == null ? "" : sha256;
        this.sizeBytes = sizeBytes;
        this.filename = filename == null ? "" : filename;
        this.cmd = cmd == null ? "" : cmd;
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    }

    /** {@code name:version}. */
    public String image() {
        return image;
    }

    /** Its name. */
    public String name() {
        return name;
    }

    /** Its version. */
    public String version() {
        return version;
    }

    /** The digest of its package. */
    public String sha256() {
        return sha256;
    }

    /** The package's size. */
    public long sizeBytes() {
        return sizeBytes;
    }

    /** The package's file name. */
    public String filename() {
        return filename;
    }

    /** The start command. */
    public String cmd() {
        return cmd;
    }

    /** When it was pushed. */
    public Instant createdAt() {
        return createdAt;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof ImageInfo)) return false;
        ImageInfo other = (ImageInfo) o;
        return Objects.equals(image, other.image)
                && Objects.equals(name, other.name)
                && Objects.equals(version, other.version)
                && Objects.equals(sha256, other.sha256)
                && sizeBytes == other.sizeBytes
                && Objects.equals(filename, other.filename)
                && Objects.equals(cmd, other.cmd)
                && Objects.equals(createdAt, other.createdAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(image, name, version, sha256, sizeBytes, filename, cmd, createdAt);
    }

    @Override
    public String toString() {
        return "ImageInfo[" + "image=" + image + ", name=" + name + ", version=" + version + ", sha256=" + sha256
                + ", sizeBytes=" + sizeBytes + ", filename=" + filename + ", cmd=" + cmd + ", createdAt=" + createdAt
                + "]";
    }
}
