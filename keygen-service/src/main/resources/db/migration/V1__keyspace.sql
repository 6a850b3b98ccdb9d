-- The keyspace of short codes is the counter domain [0, 62^7) of an FF1 permutation. One row
-- holds the next unclaimed counter; an instance claims a whole range by moving it forward in a
-- single UPDATE, so instances sharing this database never get overlapping ranges.
CREATE TABLE keyspace (
    id               smallint    PRIMARY KEY CHECK (id = 1),
    -- HMAC of the FF1 key: a different key permutes the counters differently, so counters already
    -- claimed under the old key could map to codes already issued; start-up refuses a mismatch.
    key_fingerprint  text        NOT NULL,
    keyspace_size    bigint      NOT NULL CHECK (keyspace_size > 0),
    next_counter     bigint      NOT NULL CHECK (next_counter >= 0 AND next_counter <= keyspace_size),
    ranges_claimed   bigint      NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- Audit trail of claimed ranges: which instance took which counters and when. Not needed for
-- uniqueness (the keyspace row alone guarantees that) but it answers "who issued this code?".
CREATE TABLE claimed_range (
    start_counter  bigint      PRIMARY KEY,
    end_counter    bigint      NOT NULL CHECK (end_counter > start_counter),
    instance_id    text        NOT NULL,
    claimed_at     timestamptz NOT NULL DEFAULT now()
);
