-- Scale-out tasks (claims 000.1, 000.4): the task, one row per service of its groups, and one row per
-- container it creates, each with its status, timestamps and reason, so a restarted server carries on
-- from the rows.
CREATE TABLE scale_tasks (
    id           VARCHAR(64)   NOT NULL PRIMARY KEY,
    group_labels VARCHAR(1024) NOT NULL,
    status       VARCHAR(24)   NOT NULL,
    reason       VARCHAR(1024) NOT NULL,
    created_at   BIGINT        NOT NULL,
    updated_at   BIGINT        NOT NULL
);

CREATE TABLE scale_task_services (
    task_id        VARCHAR(64)   NOT NULL,
    namespace      VARCHAR(63)   NOT NULL,
    service        VARCHAR(63)   NOT NULL,
    status         VARCHAR(16)   NOT NULL,
    nodes          INT           NOT NULL,
    target_version VARCHAR(128)  NOT NULL,
    reason         VARCHAR(1024) NOT NULL,
    created_at     BIGINT        NOT NULL,
    updated_at     BIGINT        NOT NULL,
    PRIMARY KEY (task_id, namespace, service),
    CONSTRAINT fk_task_services_task FOREIGN KEY (task_id) REFERENCES scale_tasks (id)
);

CREATE TABLE scale_task_containers (
    task_id      VARCHAR(64)   NOT NULL,
    container_id VARCHAR(160)  NOT NULL,
    namespace    VARCHAR(63)   NOT NULL,
    service      VARCHAR(63)   NOT NULL,
    ordinal      INT           NOT NULL,
    status       VARCHAR(16)   NOT NULL,
    reason       VARCHAR(1024) NOT NULL,
    created_at   BIGINT        NOT NULL,
    updated_at   BIGINT        NOT NULL,
    PRIMARY KEY (task_id, container_id),
    CONSTRAINT fk_task_containers_service
        FOREIGN KEY (task_id, namespace, service) REFERENCES scale_task_services (task_id, namespace, service)
);
