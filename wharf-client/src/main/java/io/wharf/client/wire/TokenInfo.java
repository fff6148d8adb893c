package io.wharf.client.wire;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A token: shown in full only in the answer that created it, listed by its id afterwards.
 */
public final class TokenInfo {
    private final String id;
    private final TokenKind kind;
    private final String namespace;
    private final String host;
    private final String token;
    private final Instant createdAt;
    private final @Nullable Instant expiresAt;
    private final @Nullable Instant revokedAt;

    public TokenInfo(
            @Nullable String id,
            TokenKind kind,
            @Nullable String namespace,
            @Nullable String host,
            @Nullable String token,
            Instant createdAt,
            @Nullable Instant expiresAt,
            @Nullable Instant revokedAt) {
        this.id = id == null ? "" : id;
        this.kind = Objects.requireNonNull(kind, "kind");
        this.namespace = namespace == null ? "" : namespace;
        this.host = host == null ? "" : host;
        this.token = token == null ? "" : token;
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        this.expiresAt = expiresAt;
        this.revokedAt = revokedAt;
    }

    /** Its public id, for listing and revoking. */
    public String id() {
        return id;
    }

    /** What it may do. */
    public TokenKind kind() {
        return kind;
    }

    /** The namespace it is limited to; empty for every one. */
    public String namespace() {
        return namespace;
    }

    /** For a host token, its host. */
    public String host() {
        return host;
    }

    /** The token itself; empty except in the answer that created it. */
    public String token() {
        return token;
    }

    /** When it was created. */
    public Instant createdAt() {
        return createdAt;
    }

    /** When it stops working, if it does. */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    /** When it was revoked, if it was. */
    public Optional<Instant> revokedAt() {
        return Optional.ofNullable(revokedAt);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) return true;
        if (!(o instanceof TokenInfo)) return false;
        TokenInfo other = (TokenInfo) o;
        return Objects.equals(id, other.id)
                && Objects.equals(kind, other.kind)
                && Objects.equals(namespace, other.namespace)
                && Objects.equals(host, other.host)
                && Objects.equals(token, other.token)
                && Objects.equals(createdAt, other.createdAt)
                && Objects.equals(expiresAt, other.expiresAt)
                && Objects.equals(revokedAt, other.revokedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, kind, namespace, host, token, createdAt, expiresAt, revokedAt);
    }

    @Override
    public String toString() {
        return "TokenInfo[" + "id=" + id + ", kind=" + kind + ", namespace=" + namespace + ", host=" + host + ", token="
                + token + ", createdAt=" + createdAt + ", expiresAt=" + expiresAt + ", revokedAt=" + revokedAt + "]";
    }
}
