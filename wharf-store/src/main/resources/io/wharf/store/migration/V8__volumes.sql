-- Volumes of container ordinals (claim 002.1): the host each is on pins its ordinal there; kept until deleted.
CREATE TABLE volumes (
    namespace  VARCHAR(63)  NOT NULL,
    service    VARCHAR(63)  NOT NULL,
    ordinal    INT          NOT NULL,
    name       VARCHAR(32)  NOT NULL,
    host_id    VARCHAR(63)  NOT NULL,
    ip         VARCHAR(45)  NOT NULL,
    size_bytes BIGINT       NOT NULL,
    deleting   INT          NOT NULL,
    created_at BIGINT       NOT NULL,
    PRIMARY KEY (namespace, service, ordinal, name)
);
