-- Namespaces and services are durable; endpoints live on leases in memory and are not stored.
-- Timestamps are epoch milliseconds so that H2, PostgreSQL and MariaDB read them alike.
CREATE TABLE namespaces (
    name       VARCHAR(63) NOT NULL PRIMARY KEY,
    created_at BIGINT      NOT NULL
);

CREATE TABLE services (
    namespace  VARCHAR(63) NOT NULL,
    name       VARCHAR(63) NOT NULL,
    created_at BIGINT      NOT NULL,
    PRIMARY KEY (namespace, name),
    CONSTRAINT fk_services_namespace FOREIGN KEY (namespace) REFERENCES namespaces (name)
);

-- Monotonic counters; 'revision' is the registry's reserved revision ceiling.
CREATE TABLE counters (
    name VARCHAR(63) NOT NULL PRIMARY KEY,
    val  BIGINT      NOT NULL
);

INSERT INTO counters (name, val) VALUES ('revision', 0);
