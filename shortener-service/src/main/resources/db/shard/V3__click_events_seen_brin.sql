-- click_events_seen takes a row per click. A B-tree on seen_at cost an index insert per click for
-- a column only the daily retention delete reads; seen_at grows with insertion order, which is
-- what a BRIN index summarises in a few pages, at almost no cost per insert.
DROP INDEX click_events_seen_at;
CREATE INDEX click_events_seen_at ON click_events_seen USING brin (seen_at);
