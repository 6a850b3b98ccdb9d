package dev.ferry.common.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShardMapTest {

  @Test
  void placesRangesAndSingleShardsOnTheirDatabases() {
    ShardMap map = ShardMap.of(16, Map.of("pg-a", "0-7", "pg-b", "8-11, 12,13-15"));

    assertThat(map.logicalShards()).isEqualTo(16);
    assertThat(map.physicalOf(0)).isEqualTo("pg-a");
    assertThat(map.physicalOf(7)).isEqualTo("pg-a");
    assertThat(map.physicalOf(8)).isEqualTo("pg-b");
    assertThat(map.physicalOf(15)).isEqualTo("pg-b");
    assertThat(map.physicalDatabases()).containsExactly("pg-a", "pg-b");
    assertThat(map.logicalShardsOn("pg-a")).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    assertThat(map.logicalShardsOn("pg-c")).isEmpty();
  }

  @Test
  void singleDatabaseHoldsEveryShard() {
    ShardMap map = ShardMap.single(16, "main");

    assertThat(map.logicalShardsOn("main")).hasSize(16);
  }

  @Test
  void interleavedPlacementIsAllowed() {
    Map<String, String> placement = new LinkedHashMap<>();
    placement.put("even", "0,2,4,6");
    placement.put("odd", "1,3,5,7");

    ShardMap map = ShardMap.of(8, placement);

    assertThat(map.logicalShardsOn("odd")).isEqualTo(List.of(1, 3, 5, 7));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "0-6        | 8-15 | logical shards [7] are not placed",
        "0-8        | 8-15 | logical shard 8 is placed twice",
        "0-7        | 8-16 | logical shard 16 placed on 'b' is outside 0..15",
        "0-7,x      | 8-15 | 'x' in the placement of 'a' is not a shard or a range",
        "7-0        | 8-15 | range '7-0' for 'a' runs backwards",
        "0-7,3      | 8-15 | logical shard 3 is listed twice for 'a'",
        "\"   \"      | 0-15 | no logical shards listed for 'a'"
      })
  void refusesPlacementsThatLoseOrDuplicateAShard(String onA, String onB, String message) {
    Map<String, String> placement = new LinkedHashMap<>();
    placement.put("a", onA);
    placement.put("b", onB);

    assertThatThrownBy(() -> ShardMap.of(16, placement))
        .isInstanceOf(InvalidShardMapException.class)
        .hasMessageContaining(message);
  }

  @Test
  void refusesZeroLogicalShards() {
    assertThatThrownBy(() -> ShardMap.of(0, Map.of())).isInstanceOf(InvalidShardMapException.class);
  }
}
