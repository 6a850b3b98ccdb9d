-- One logical shard. Flyway runs this in the shard's own schema (search_path = shard_NN), so the
-- names below are unqualified. Every logical shard has the same tables; a code's rows (the link,
-- its rollups, the click events already counted) all live in the code's shard.

CREATE TABLE links (
    code          varchar(32)   PRIMARY KEY,
    long_url      text          NOT NULL,
    owner         varchar(200),
    custom_alias  boolean       NOT NULL,
    redirect_type smallint      NOT NULL CHECK (redirect_type IN (301, 302, 307, 308)),
    tags          text[]        NOT NULL DEFAULT '{}',
    created_at    timestamptz   NOT NULL,
    updated_at    timestamptz   NOT NULL,
    expires_at    timestamptz,
    max_visits    bigint        CHECK (max_visits > 0),
    -- Visits counted synchronously on redirect; only links with max_visits need them exact.
    visits        bigint        NOT NULL DEFAULT 0,
    -- Human clicks counted by the analytics consumer (eventually consistent).
    click_count   bigint        NOT NULL DEFAULT 0
);

CREATE INDEX links_owner_created ON links (owner, created_at DESC, code);
CREATE INDEX links_tags ON links USING gin (tags);

-- Pre-aggregated clicks: one row per code, day, dimension (total, bot, country, device, browser,
-- os, referrer) and value. Analytics queries read only this table.
CREATE TABLE click_rollups (
    code      varchar(32)  NOT NULL,
    day       date         NOT NULL,
    dimension varchar(16)  NOT NULL,
    value     varchar(200) NOT NULL,
    clicks    bigint       NOT NULL,
    PRIMARY KEY (code, day, dimension, value)
);

-- Ids of click events already counted, so that a replayed or duplicated event counts once.
CREATE TABLE click_events_seen (
    event_id uuid        PRIMARY KEY,
    seen_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX click_events_seen_at ON click_events_seen (seen_at);
