-- A notification as accepted. status is its lifecycle before delivery: 'queued' (its deliveries
-- are on their way to Kafka), 'scheduled' (held until release_at, for scheduled_at or the end of
-- the user's quiet hours), 'expired' (expires_at passed before it could go out) or 'skipped'
-- (nothing to send: every channel opted out or without a recipient). What happened afterwards is
-- per channel, in deliveries.
CREATE TABLE notifications (
    id                     UUID PRIMARY KEY,
    user_id                VARCHAR(100) NOT NULL,
    type                   VARCHAR(50)  NOT NULL,
    priority               VARCHAR(10)  NOT NULL,
    channels               VARCHAR(10)[] NOT NULL,
    template               VARCHAR(100),
    data                   JSONB        NOT NULL DEFAULT '{}',
    status                 VARCHAR(20)  NOT NULL,
    scheduled_at           TIMESTAMPTZ,
    release_at             TIMESTAMPTZ,
    expires_at             TIMESTAMPTZ,
    created_at             TIMESTAMPTZ  NOT NULL,
    idempotency_key        VARCHAR(255),
    idempotency_expires_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX notifications_idempotency_key ON notifications (idempotency_key);
CREATE INDEX notifications_due ON notifications (release_at) WHERE status = 'scheduled';
CREATE INDEX notifications_idempotency_expiry ON notifications (idempotency_expires_at)
    WHERE idempotency_key IS NOT NULL;

-- One row per notification and channel, holding the rendered content and the delivery state:
-- pending (held) -> queued (a message is on its way) -> sending (a worker claimed attempt n)
-- -> delivered | retrying (next_attempt_at) | failed; or skipped / expired; webhooks may later
-- move delivered to bounced or undelivered. attempt_count is the number of the last claimed
-- attempt; a Kafka message carries the attempt it authorises, so a redelivered message finds the
-- count already moved on and sends nothing.
CREATE TABLE deliveries (
    id                  UUID PRIMARY KEY,
    notification_id     UUID         NOT NULL REFERENCES notifications (id),
    channel             VARCHAR(10)  NOT NULL,
    priority            VARCHAR(10)  NOT NULL,
    status              VARCHAR(20)  NOT NULL,
    subject             TEXT,
    title               TEXT,
    body                TEXT         NOT NULL,
    provider            VARCHAR(50),
    provider_message_id VARCHAR(255),
    attempt_count       INT          NOT NULL DEFAULT 0,
    attempt_limit       INT          NOT NULL,
    queued_at           TIMESTAMPTZ,
    next_attempt_at     TIMESTAMPTZ,
    last_attempt_at     TIMESTAMPTZ,
    delivered_at        TIMESTAMPTZ,
    failed_at           TIMESTAMPTZ,
    last_error          TEXT,
    created_at          TIMESTAMPTZ  NOT NULL,
    UNIQUE (notification_id, channel)
);
CREATE INDEX deliveries_retry_due ON deliveries (next_attempt_at) WHERE status = 'retrying';
CREATE INDEX deliveries_sending ON deliveries (last_attempt_at) WHERE status = 'sending';
CREATE INDEX deliveries_provider_message ON deliveries (provider_message_id);
CREATE INDEX deliveries_created ON deliveries (created_at);

-- Every provider call of every attempt (a failover attempt has two), for audit and dashboards.
CREATE TABLE delivery_attempts (
    id                  BIGSERIAL PRIMARY KEY,
    delivery_id         UUID        NOT NULL REFERENCES deliveries (id),
    attempt             INT         NOT NULL,
    provider            VARCHAR(50) NOT NULL,
    recipient           VARCHAR(500),
    outcome             VARCHAR(20) NOT NULL,
    error               TEXT,
    provider_message_id VARCHAR(255),
    started_at          TIMESTAMPTZ NOT NULL,
    finished_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id);

-- Transactional outbox: written in the transaction that changes a delivery, published to Kafka
-- and deleted by the relay. priority_rank orders the relay so critical rows go out first.
CREATE TABLE outbox (
    id            BIGSERIAL PRIMARY KEY,
    topic         VARCHAR(200) NOT NULL,
    message_key   VARCHAR(100) NOT NULL,
    payload       TEXT         NOT NULL,
    priority_rank SMALLINT     NOT NULL,
    created_at    TIMESTAMPTZ  NOT NULL
);
CREATE INDEX outbox_relay_order ON outbox (priority_rank, id);

CREATE TABLE dead_letters (
    id              UUID PRIMARY KEY,
    delivery_id     UUID        NOT NULL REFERENCES deliveries (id),
    notification_id UUID        NOT NULL,
    channel         VARCHAR(10) NOT NULL,
    priority        VARCHAR(10) NOT NULL,
    attempts        INT         NOT NULL,
    reason          TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    redriven_at     TIMESTAMPTZ
);
CREATE INDEX dead_letters_open ON dead_letters (created_at) WHERE redriven_at IS NULL;

CREATE TABLE templates (
    id         UUID PRIMARY KEY,
    name       VARCHAR(100)  NOT NULL,
    channel    VARCHAR(10)   NOT NULL,
    subject    TEXT,
    title      TEXT,
    body       TEXT          NOT NULL,
    variables  VARCHAR(100)[] NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ   NOT NULL,
    updated_at TIMESTAMPTZ   NOT NULL,
    UNIQUE (name, channel)
);

CREATE TABLE user_preferences (
    user_id           VARCHAR(100) PRIMARY KEY,
    push_enabled      BOOLEAN     NOT NULL DEFAULT TRUE,
    email_enabled     BOOLEAN     NOT NULL DEFAULT TRUE,
    sms_enabled       BOOLEAN     NOT NULL DEFAULT TRUE,
    type_overrides    JSONB       NOT NULL DEFAULT '{}',
    quiet_hours_start TIME,
    quiet_hours_end   TIME,
    time_zone         VARCHAR(64) NOT NULL DEFAULT 'UTC',
    updated_at        TIMESTAMPTZ NOT NULL
);

CREATE TABLE user_devices (
    id                  UUID PRIMARY KEY,
    user_id             VARCHAR(100) NOT NULL,
    token               VARCHAR(500) NOT NULL UNIQUE,
    platform            VARCHAR(10)  NOT NULL,
    active              BOOLEAN      NOT NULL DEFAULT TRUE,
    created_at          TIMESTAMPTZ  NOT NULL,
    deactivated_at      TIMESTAMPTZ,
    deactivation_reason VARCHAR(100)
);
CREATE INDEX user_devices_user ON user_devices (user_id) WHERE active;

CREATE TABLE user_contacts (
    user_id    VARCHAR(100) PRIMARY KEY,
    email      VARCHAR(320),
    phone      VARCHAR(16),
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE topic_subscriptions (
    topic_key  VARCHAR(100) NOT NULL,
    user_id    VARCHAR(100) NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (topic_key, user_id)
);
