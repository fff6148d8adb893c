package io.wharf.store;

import static java.util.Objects.requireNonNull;

import io.wharf.client.wire.TokenKind;
import java.time.Instant;
import java.util.Optional;

/**
 * A token as stored: only its sha256, never the token itself.
 *
 * @param id its public id, for listing and revoking, e.g. {@code t-1a2b3c4d5e6f}
 * @param kind what it may do
 * @param namespace the namespace it is limited to; empty for all
 * @param hostId for a host token, its host; empty otherwise
 * @param hash the sha256 of the token, hex
 * @param expiresAt when it stops working; empty for never
 * @param revokedAt when it was revoked; empty while it works
 */
public record TokenRecord(
        String id,
        TokenKind kind,
        String namespace,
        String hostId,
        String hash,
        Instant createdAt,
        Optional<Instant> expiresAt,
        Optional<Instant> revokedAt) {
    public TokenRecord {
        requireNonNull(id, "id");
        requireNonNull(kind, "kind");
        requireNonNull(namespace, "namespace");
        requireNonNull(hostId, "hostId");
        requireNonNull(hash, "hash");
        requireNonNull(createdAt, "createdAt");
        requireNonNull(expiresAt, "expiresAt");
        requireNonNull(revokedAt, "revokedAt");
    }

    /** Whether it works at {@code now}: not revoked, not expired. */
    public boolean valid(Instant now) {
        return revokedAt.isEmpty() && expiresAt.map(now::isBefore).orElse(true);
    }
}
