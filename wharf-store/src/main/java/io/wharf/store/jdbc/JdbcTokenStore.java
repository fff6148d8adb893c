package io.wharf.store.jdbc;

import io.wharf.client.wire.TokenKind;
import io.wharf.core.ConflictException;
import io.wharf.store.TokenRecord;
import io.wharf.store.TokenStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** {@link TokenStore} over the same JDBC database as the rest of the store. */
final class JdbcTokenStore implements TokenStore {
    private final Jdbi jdbi;

    JdbcTokenStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void insert(TokenRecord t) {
        try {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO tokens (id, kind, namespace, host_id, token_hash,"
                            + " created_at, expires_at, revoked_at) VALUES (:id, :kind, :ns, :host, :hash, :created,"
                            + " :expires, :revoked)")
                    .bind("id", t.id())
                    .bind("kind", t.kind().name())
                    .bind("ns", t.namespace())
                    .bind("host", t.hostId())
                    .bind("hash", t.hash())
                    .bind("created", t.createdAt().toEpochMilli())
                    .bind("expires", t.expiresAt().map(Instant::toEpochMilli).orElse(0L))
                    .bind("revoked", t.revokedAt().map(Instant::toEpochMilli).orElse(0L))
                    .execute());
        } catch (UnableToExecuteStatementException e) {
            if (Sql.constraintViolated(e)) throw new ConflictException("token " + t.id() + " exists");
            throw e;
        }
    }

    @Override
    public Optional<TokenRecord> byHash(String hash) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM tokens WHERE token_hash = :hash")
                .bind("hash", hash)
                .map((rs, ctx) -> token(rs))
                .findOne());
    }

    @Override
    public List<TokenRecord> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM tokens ORDER BY created_at DESC, id")
                .map((rs, ctx) -> token(rs))
                .list());
    }

    @Override
    public boolean revoke(String id, Instant at) {
        return jdbi.withHandle(
                        h -> h.createUpdate("UPDATE tokens SET revoked_at = :at WHERE id = :id AND revoked_at = 0")
                                .bind("id", id)
                                .bind("at", at.toEpochMilli())
                                .execute())
                == 1;
    }

    @Override
    public void revokeHost(String hostId, Instant at) {
        jdbi.useHandle(h -> h.createUpdate(
                        "UPDATE tokens SET revoked_at = :at WHERE kind = 'HOST' AND host_id = :host AND revoked_at = 0")
                .bind("host", hostId)
                .bind("at", at.toEpochMilli())
                .execute());
    }

    private static TokenRecord token(ResultSet rs) throws SQLException {
        long expires = rs.getLong("expires_at");
        long revoked = rs.getLong("revoked_at");
        return new TokenRecord(
                rs.getString("id"),
                TokenKind.valueOf(rs.getString("kind")),
                rs.getString("namespace"),
                rs.getString("host_id"),
                rs.getString("token_hash"),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                expires == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(expires)),
                revoked == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(revoked)));
    }
}
