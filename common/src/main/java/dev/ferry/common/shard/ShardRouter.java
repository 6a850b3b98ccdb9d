package dev.ferry.common.shard;

import java.util.Objects;

/**
 * The design's shard router: maps a short code to its logical shard by {@link ShardHash stable
 * hash} mod N, and the logical shard to its schema and physical database by a {@link ShardMap}.
 *
 * <p>Because a code always routes to exactly one logical shard, a uniqueness constraint inside the
 * shard's schema makes the code unique globally. Each logical shard is a Postgres schema named
 * {@code shard_00}, {@code shard_01}, ... so that moving a shard to another database is a schema
 * dump and restore.
 *
 * <p>Immutable and thread-safe.
 */
public final class ShardRouter {

  private final ShardMap map;

  /** Every logical shard's location, by shard: routing is on the redirect and click paths. */
  private final ShardLocation[] locations;

  public ShardRouter(ShardMap map) {
    this.map = Objects.requireNonNull(map, "map");
    this.locations = new ShardLocation[map.logicalShards()];
    for (int shard = 0; shard < locations.length; shard++) {
      locations[shard] = new ShardLocation(shard, schemaOf(shard), map.physicalOf(shard));
    }
  }

  /** The schema name of logical shard {@code shard}: {@code shard_} and two or more digits. */
  public static String schemaOf(int shard) {
    return String.format("shard_%02d", shard);
  }

  public ShardMap map() {
    return map;
  }

  /** The logical shard of {@code code}. */
  public int logicalShardOf(String code) {
    return ShardHash.logicalShard(code, map.logicalShards());
  }

  /** Where {@code code}'s row lives. */
  public ShardLocation route(String code) {
    return locationOf(logicalShardOf(code));
  }

  /** Where logical shard {@code shard} lives. */
  public ShardLocation locationOf(int shard) {
    Objects.checkIndex(shard, locations.length);
    return locations[shard];
  }
}
