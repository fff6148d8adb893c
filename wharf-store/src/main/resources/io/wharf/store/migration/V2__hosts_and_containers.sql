-- Images (name:version -> a content-addressed package), service specs, hosts, containers, join tokens.
CREATE TABLE images (
    name       VARCHAR(128)  NOT NULL,
    version    VARCHAR(128)  NOT NULL,
    digest     VARCHAR(64)   NOT NULL,
    size_bytes BIGINT        NOT NULL,
    filename   VARCHAR(255)  NOT NULL,
    cmd        VARCHAR(1024) NOT NULL,
    created_at BIGINT        NOT NULL,
    PRIMARY KEY (name, version)
);

CREATE TABLE service_specs (
    namespace  VARCHAR(63) NOT NULL,
    name       VARCHAR(63) NOT NULL,
    spec       TEXT        NOT NULL,
    generation BIGINT      NOT NULL,
    updated_at BIGINT      NOT NULL,
    PRIMARY KEY (namespace, name),
    CONSTRAINT fk_specs_service FOREIGN KEY (namespace, name) REFERENCES services (namespace, name)
);

CREATE TABLE hosts (
    id         VARCHAR(63)  NOT NULL PRIMARY KEY,
    address    VARCHAR(255) NOT NULL,
    ip_pool    VARCHAR(32)  NOT NULL,
    cpu_millis BIGINT       NOT NULL,
    memory_mb  BIGINT       NOT NULL,
    joined_at  BIGINT       NOT NULL
);

-- The monitoring table (claim 000.6): every container the platform runs, where, and what it should be.
CREATE TABLE containers (
    id            VARCHAR(160) NOT NULL PRIMARY KEY,
    namespace     VARCHAR(63)  NOT NULL,
    service       VARCHAR(63)  NOT NULL,
    ordinal       INT          NOT NULL,
    host_id       VARCHAR(63)  NOT NULL,
    image_name    VARCHAR(128) NOT NULL,
    image_version VARCHAR(128) NOT NULL,
    ip            VARCHAR(45)  NOT NULL,
    port          INT          NOT NULL,
    desired       VARCHAR(16)  NOT NULL,
    registration  VARCHAR(16)  NOT NULL,
    created_at    BIGINT       NOT NULL,
    updated_at    BIGINT       NOT NULL,
    CONSTRAINT uq_containers_address UNIQUE (host_id, ip, port),
    CONSTRAINT fk_containers_host FOREIGN KEY (host_id) REFERENCES hosts (id)
);

CREATE TABLE join_tokens (
    token_hash VARCHAR(64) NOT NULL PRIMARY KEY,
    created_at BIGINT      NOT NULL
);
