package dev.ferry.common.shard;

/**
 * Where one short code's row lives.
 *
 * @param logicalShard the logical shard, {@code 0..N-1}
 * @param schema the Postgres schema of that logical shard
 * @param physicalDatabase the name of the physical database holding the schema
 */
public record ShardLocation(int logicalShard, String schema, String physicalDatabase) {}
