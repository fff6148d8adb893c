-- The autoscaler's decisions, newest kept per service (the server prunes the rest): when, from how many
-- containers to how many, why, and each metric's value and target then.
CREATE TABLE autoscale_decisions (
    id         VARCHAR(40)   NOT NULL PRIMARY KEY,
    namespace  VARCHAR(63)   NOT NULL,
    service    VARCHAR(63)   NOT NULL,
    decided_at BIGINT        NOT NULL,
    from_count INT           NOT NULL,
    to_count   INT           NOT NULL,
    reason     VARCHAR(1000) NOT NULL,
    readings   VARCHAR(2000) NOT NULL
);
CREATE INDEX ix_autoscale_decisions_service ON autoscale_decisions (namespace, service, decided_at);
