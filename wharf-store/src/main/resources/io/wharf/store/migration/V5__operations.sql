-- Long operations (releases, scale-out tasks; later autoscaling actions and interface migrations): one row
-- each, its kind's state as one JSON document, written with an optimistic version so that two writers never
-- overwrite each other unnoticed. Only running rows are read when a server starts.
CREATE TABLE operations (
    id         VARCHAR(64)   NOT NULL PRIMARY KEY,
    kind       VARCHAR(32)   NOT NULL,
    subject    VARCHAR(255)  NOT NULL,
    status     VARCHAR(24)   NOT NULL,
    reason     VARCHAR(1024) NOT NULL,
    state      ${long_text}  NOT NULL,
    version    BIGINT        NOT NULL,
    attempts   INT           NOT NULL,
    last_error VARCHAR(1024) NOT NULL,
    created_at BIGINT        NOT NULL,
    updated_at BIGINT        NOT NULL
);

CREATE INDEX operations_status ON operations (status);
CREATE INDEX operations_kind ON operations (kind, created_at);

-- The controller-owned scale of a service: what scale-outs and the autoscaler set, beside the replicas its
-- spec asks for, so that applying the spec again does not undo them.
CREATE TABLE service_scales (
    namespace  VARCHAR(63)  NOT NULL,
    name       VARCHAR(63)  NOT NULL,
    replicas   INT          NOT NULL,
    owner      VARCHAR(255) NOT NULL,
    updated_at BIGINT       NOT NULL,
    PRIMARY KEY (namespace, name),
    CONSTRAINT fk_scales_spec FOREIGN KEY (namespace, name) REFERENCES service_specs (namespace, name)
);

-- Releases and scale-out tasks of earlier servers ran on their own schedulers; those still running when the
-- server is upgraded stop, saying so, and are started again by hand. The scale-out task tables stay, as the
-- projection of scale-out operations.
-- A release that was running paused its endpoints' agents; with it gone, every agent takes its endpoint back.
UPDATE scale_tasks SET status = 'FAILED', reason = 'stopped by a server upgrade; run the scale-out again'
    WHERE status = 'RUNNING';
UPDATE containers SET registration = 'ACTIVE' WHERE registration = 'PAUSED';
DROP TABLE releases;
