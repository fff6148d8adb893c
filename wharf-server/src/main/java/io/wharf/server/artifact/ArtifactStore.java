package io.wharf.server.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/** Packages on disk under {@code DIR/sha256/HEX}, written once through a temporary file and never changed. */
public final class ArtifactStore {
    private final Path root;

    /** A stored package: its sha256 (hex) and size. */
    public record Stored(String digest, long sizeBytes) {}

    public ArtifactStore(Path dir) {
        this.root = dir.resolve("sha256");
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the artifact store in " + dir, e);
        }
    }

    /**
     * Stores what {@code in} holds, up to {@code maxBytes}; returns its digest.
     *
     * @throws TooLargeException past {@code maxBytes}; nothing is kept
     */
    public Stored put(InputStream in, long maxBytes) throws IOException {
        return put(in, maxBytes, file -> {});
    }

    /** Checks a package before it is kept. */
    @FunctionalInterface
    public interface Check {
        /** Throws if the file at {@code file} is not what it should be; it is then not kept. */
        void verify(Path file) throws IOException;
    }

    /**
     * As {@link #put(InputStream, long)}, keeping the package only if {@code check} passes it.
     *
     * @throws IOException what {@code check} threw; nothing is kept
     */
    public Stored put(InputStream in, long maxBytes, Check check) throws IOException {
        Path tmp = Files.createTempFile(root, "upload-", ".tmp");
        try {
            MessageDigest sha = sha256();
            long size = 0;
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha)) {
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = in.read(buf)) > 0) {
                    size += n;
                    if (size > maxBytes) {
                        throw new TooLargeException(maxBytes);
                    }
                    out.write(buf, 0, n);
                }
            }
            check.verify(tmp);
            String digest = HexFormat.of().formatHex(sha.digest());
            Path target = root.resolve(digest);
            if (!Files.exists(target)) {
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return new Stored(digest, size);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The package with {@code digest}, if stored. */
    public Optional<Path> path(String digest) {
        if (!digest.matches("[0-9a-f]{64}")) {
            return Optional.empty();
        }
        Path p = root.resolve(digest);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** A package over the size limit. */
    public static final class TooLargeException extends IOException {
        TooLargeException(long max) {
            super("package larger than " + max + " bytes");
        }
    }
}
