package io.wharf.store;

import io.wharf.core.ConflictException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Tokens other than the admin's, kept by their sha256. */
public interface TokenStore {
    /**
     * Adds a token.
     *
     * @throws ConflictException if its id or hash is taken
     */
    void insert(TokenRecord token);

    Optional<TokenRecord> byHash(String hash);

    /** Every token, newest first. */
    List<TokenRecord> list();

    /** Revokes a token now; false if there is no such token or it was revoked already. */
    boolean revoke(String id, Instant at);

    /** Revokes every host token of {@code hostId}, as when it is given a new one or removed. */
    void revokeHost(String hostId, Instant at);
}
