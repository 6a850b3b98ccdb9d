-- The replay guard keys on click batches, a row per Kafka record and shard, instead of a row per
-- click. Ids of single events, from producers before records carried batch ids, share the table.
ALTER TABLE click_events_seen RENAME TO click_batches_seen;
ALTER TABLE click_batches_seen RENAME COLUMN event_id TO batch_id;
ALTER TABLE click_batches_seen RENAME CONSTRAINT click_events_seen_pkey TO click_batches_seen_pkey;
ALTER INDEX click_events_seen_at RENAME TO click_batches_seen_at;
