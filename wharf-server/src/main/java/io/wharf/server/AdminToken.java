package io.wharf.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The admin token, kept in {@code admin.token} in the data directory, readable by its owner only. */
public final class AdminToken {
    /** The token file's name within the data directory. */
    public static final String FILE = "admin.token";

    private AdminToken() {}

    /** The token, and whether this call created it. */
    public record Loaded(String token, boolean created, Path file) {
        /** Deletes the file again if this start created it, as when the start fails before it could be shown. */
        public void forget() {
            if (!created) return;
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + file, e);
            }
        }
    }

    /** Reads the token from {@code dataDir}, creating a new random one on first use. */
    public static Loaded loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.exists(file)) {
                return new Loaded(Files.readString(file, StandardCharsets.UTF_8).trim(), false, file);
            }
            byte[] bytes = new byte[24];
            new SecureRandom().nextBytes(bytes);
            String token = HexFormat.of().formatHex(bytes);
            try {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            } catch (FileAlreadyExistsException raced) {
                return loadOrCreate(dataDir);
            }
            Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
            return new Loaded(token, true, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the admin token in " + dataDir, e);
        }
    }
}
