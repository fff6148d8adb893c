-- The results of requests that went through a fair intake (claim 002.6): one per request id, so that none is
-- applied twice; every time it passed, in epoch microseconds. The body is kept base64-encoded.
CREATE TABLE intake_results (
    id            VARCHAR(80)  NOT NULL PRIMARY KEY,
    namespace     VARCHAR(63)  NOT NULL,
    service       VARCHAR(63)  NOT NULL,
    status        INT          NOT NULL,
    content_type  VARCHAR(255) NOT NULL,
    body          TEXT         NOT NULL,
    late          INT          NOT NULL,
    clamped       INT          NOT NULL,
    sent_us       BIGINT       NOT NULL,
    arrived_us    BIGINT       NOT NULL,
    ordered_us    BIGINT       NOT NULL,
    dispatched_us BIGINT       NOT NULL,
    started_us    BIGINT       NOT NULL,
    ended_us      BIGINT       NOT NULL
);
