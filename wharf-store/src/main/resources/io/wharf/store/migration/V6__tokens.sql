-- Tokens of every kind but the admin's, kept by their sha256: join tokens (which now expire and can be
-- revoked), host tokens issued when a host joins, and read and namespace tokens. Join tokens of earlier
-- servers are kept, never expiring, until revoked.
CREATE TABLE tokens (
    id         VARCHAR(32) NOT NULL PRIMARY KEY,
    kind       VARCHAR(16) NOT NULL,
    namespace  VARCHAR(63) NOT NULL,
    host_id    VARCHAR(63) NOT NULL,
    token_hash VARCHAR(64) NOT NULL,
    created_at BIGINT      NOT NULL,
    expires_at BIGINT      NOT NULL,
    revoked_at BIGINT      NOT NULL,
    CONSTRAINT uq_tokens_hash UNIQUE (token_hash)
);

INSERT INTO tokens (id, kind, namespace, host_id, token_hash, created_at, expires_at, revoked_at)
    SELECT CONCAT('t-', SUBSTRING(token_hash, 1, 12)), 'JOIN', '', '', token_hash, created_at, 0, 0 FROM join_tokens;
DROP TABLE join_tokens;
