package dev.ferry.shortener.analytics;

import java.util.List;
import java.util.UUID;

/**
 * Click events counted together, once: the events of one Kafka record under the record's batch id
 * ({@link ClickBatches}), or, from producers before batch ids, a single event under its own id.
 *
 * @param id the replay guard's key; {@link RollupWriter} counts an id once per shard
 * @param events the events
 */
record ClickGroup(UUID id, List<ClickEvent> events) {}
