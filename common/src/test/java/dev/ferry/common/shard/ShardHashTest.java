package dev.ferry.common.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShardHashTest {

  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  /**
   * Golden values: the published FNV-1a test vector for "a" and values computed independently. If
   * this table ever has to change, every stored link would move shard; it must not.
   */
  @ParameterizedTest
  @CsvSource({
    "a,       3826002220, 12",
    "abc123X, 2653487207, 7",
    "my-link, 1094768146, 2",
    "zzzzzzz, 1337176829, 13",
    "Ünï,     445171446,  6"
  })
  void hashAndShardOfKnownCodesNeverChange(String code, long unsignedHash, int shardOf16) {
    assertThat(Integer.toUnsignedLong(ShardHash.fnv1a32(code))).isEqualTo(unsignedHash);
    assertThat(ShardHash.logicalShard(code, 16)).isEqualTo(shardOf16);
  }

  @Test
  void randomSevenCharacterCodesSpreadEvenlyOverSixteenShards() {
    Random random = new Random(42);
    int[] counts = new int[16];
    int codes = 160_000;
    for (int i = 0; i < codes; i++) {
      counts[ShardHash.logicalShard(randomCode(random, 7), 16)]++;
    }
    double expected = codes / 16.0;
    double chiSquare = 0;
    for (int count : counts) {
      chiSquare += (count - expected) * (count - expected) / expected;
    }
    // 15 degrees of freedom: 37.7 is the 0.999 quantile, so a fair hash fails this 1 time in 1000.
    assertThat(chiSquare).isLessThan(37.7);
  }

  @Test
  void shardIsAlwaysInRangeEvenForHashesWithTheHighBitSet() {
    Random random = new Random(7);
    for (int i = 0; i < 10_000; i++) {
      String code = randomCode(random, 1 + random.nextInt(32));
      assertThat(ShardHash.logicalShard(code, 13)).isBetween(0, 12);
    }
  }

  @Test
  void refusesEmptyCodesAndNonPositiveShardCounts() {
    assertThatThrownBy(() -> ShardHash.logicalShard("", 16))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ShardHash.logicalShard("abc", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String randomCode(Random random, int length) {
    StringBuilder code = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      code.append(BASE62.charAt(random.nextInt(BASE62.length())));
    }
    return code.toString();
  }
}
