package io.wharf.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A data directory (the server's, an agent's): it holds tokens and the embedded database, so only its owner
 * may enter it ({@code 0700}) and read its files ({@code 0600}). On file systems without POSIX permissions it
 * is left as the file system makes it.
 */
public final class DataDir {
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private DataDir() {}

    /** Creates {@code dir} if missing, and makes it its owner's only. */
    public static Path create(Path dir) {
        try {
            Files.createDirectories(dir);
            PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
            if (view != null) view.setPermissions(DIR);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Makes the regular files directly in {@code dir} readable by their owner only. */
    public static void ownerOnly(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                PosixFileAttributeView view = Files.getFileAttributeView(f, PosixFileAttributeView.class);
                if (view != null) view.setPermissions(FILE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restrict the files of " + dir + ": " + e.getMessage(), e);
        }
    }
}
