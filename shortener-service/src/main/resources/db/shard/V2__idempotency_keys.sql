-- Idempotency keys of POST /api/v1/shorten. A key's row lives in the shard of hash(caller, key),
-- not of the link's code, because a replay knows the key but not yet the code. A row without a
-- code is a claim: the first request with the key is creating the link now.

CREATE TABLE idempotency_keys (
    caller        varchar(200)  NOT NULL,
    key           varchar(255)  NOT NULL,
    -- SHA-256 of the parsed request, so a replay with another body is told apart.
    request_hash  varchar(64)   NOT NULL,
    code          varchar(32),
    created_at    timestamptz   NOT NULL,
    PRIMARY KEY (caller, key)
);

CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
