package io.wharf.agent;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * What an agent shows the server: the host's own token once it has one, kept in {@code DATA/host.token}
 * (readable by its owner only), else the join token it was given. The server issues the host token when
 * the host first joins; a host token refused later (the host was removed, the server's database was
 * replaced) gives way to the join token, if the agent still has one, for one more join.
 */
final class Credentials {
    /** The host token's file within the agent's data directory. */
    static final String FILE = "host.token";

    private final Path file;
    private final Optional<String> joinToken;
    private volatile String current;
    private volatile boolean host;

    private Credentials(Path file, Optional<String> joinToken, Optional<String> hostToken) {
        this.file = file;
        this.joinToken = joinToken;
        this.host = hostToken.isPresent();
        this.current = hostToken.or(() -> joinToken).orElseThrow();
    }

    /**
     * Reads the host token from {@code dataDir}, if the host joined before.
     *
     * @throws IllegalArgumentException if there is neither a host token nor a join token
     */
    static Credentials load(Path dataDir, Optional<String> joinToken) {
        requireNonNull(joinToken, "joinToken");
        Path file = dataDir.resolve(FILE);
        Optional<String> hostToken;
        try {
            hostToken = Files.exists(file)
                    ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim())
                            .filter(t -> !t.isEmpty())
                    : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (hostToken.isEmpty() && joinToken.isEmpty()) {
            throw new IllegalArgumentException("this host has not joined yet (no " + file + ") and no join token was"
                    + " given: create one with 'wharf token create --join' and pass it with --join-token-file FILE"
                    + " or the environment variable WHARF_JOIN_TOKEN");
        }
        return new Credentials(file, joinToken, hostToken);
    }

    /** The token to send now. */
    String current() {
        return current;
    }

    /** Whether the token sent now is the host's own. */
    boolean hostToken() {
        return host;
    }

    /** Keeps the host token the server just issued, and sends it from now on. */
    void issued(String token) {
        Path tmp = file.resolveSibling(FILE + ".new");
        try {
            Files.deleteIfExists(tmp);
            Files.createFile(tmp);
            PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
            if (view != null) view.setPermissions(PosixFilePermissions.fromString("rw-------"));
            Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the host token in " + file + ": " + e.getMessage(), e);
        }
        current = token;
        host = true;
    }

    /** After the host token was refused: sends the join token instead, if there is one. */
    boolean fallBack() {
        if (!host || joinToken.isEmpty()) return false;
        current = joinToken.get();
        host = false;
        return true;
    }
}
