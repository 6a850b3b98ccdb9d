package dev.ferry.common.shard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ShardRouterTest {

  private final ShardRouter router =
      new ShardRouter(ShardMap.of(16, Map.of("pg-a", "0-7", "pg-b", "8-15")));

  @Test
  void routesACodeToTheSchemaAndDatabaseTheMapNames() {
    assertThat(router.route("my-link")).isEqualTo(new ShardLocation(2, "shard_02", "pg-a"));
    assertThat(router.route("zzzzzzz")).isEqualTo(new ShardLocation(13, "shard_13", "pg-b"));
  }

  /**
   * Reference model: a plain table of hash mod 16 and the written placement. The router must agree
   * with it on random codes, and moving shards between databases must never change a code's logical
   * shard.
   */
  @Test
  void agreesWithAReferenceModelAndKeepsLogicalShardsWhenThePlacementChanges() {
    ShardRouter moved =
        new ShardRouter(ShardMap.of(16, Map.of("pg-a", "0-3", "pg-b", "8-15", "pg-c", "4-7")));
    Random random = new Random(3);
    Map<String, Integer> reference = new HashMap<>();
    for (int i = 0; i < 5_000; i++) {
      String code = Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
      int expected = Integer.remainderUnsigned(ShardHash.fnv1a32(code), 16);
      reference.put(code, expected);
      assertThat(router.logicalShardOf(code)).isEqualTo(expected);
      assertThat(router.route(code).physicalDatabase()).isEqualTo(expected < 8 ? "pg-a" : "pg-b");
    }
    reference.forEach(
        (code, shard) -> {
          assertThat(moved.logicalShardOf(code)).isEqualTo(shard);
          assertThat(moved.route(code).schema()).isEqualTo(ShardRouter.schemaOf(shard));
        });
  }

  @Test
  void schemaNamesArePaddedToTwoDigits() {
    assertThat(ShardRouter.schemaOf(0)).isEqualTo("shard_00");
    assertThat(ShardRouter.schemaOf(15)).isEqualTo("shard_15");
    assertThat(ShardRouter.schemaOf(123)).isEqualTo("shard_123");
  }
}
