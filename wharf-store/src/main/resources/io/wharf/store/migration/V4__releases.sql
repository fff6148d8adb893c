-- Releases (claims 001.1-001.10): each kept as one document with the step every endpoint is in, so that
-- a restarted server carries on from there.
CREATE TABLE releases (
    id         VARCHAR(64) NOT NULL PRIMARY KEY,
    namespace  VARCHAR(63) NOT NULL,
    service    VARCHAR(63) NOT NULL,
    status     VARCHAR(24) NOT NULL,
    body       ${long_text} NOT NULL,
    created_at BIGINT      NOT NULL,
    updated_at BIGINT      NOT NULL
);
