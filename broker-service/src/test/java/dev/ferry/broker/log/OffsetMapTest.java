package dev.ferry.broker.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fixed-memory key map checked against a {@link HashMap} on random keys. */
class OffsetMapTest {

  private static ByteBuffer key(String key) {
    return ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @CsvSource({"48, 1", "96, 3", "2400, 90", "24000, 900"})
  void holdsTheLatestOffsetOfEveryKeyItTookUntilFull(int memoryBytes, int capacity) {
    for (int seed = 0; seed < 5; seed++) {
      Random random = new Random(seed);
      OffsetMap map = new OffsetMap(memoryBytes);
      assertThat(map.capacity()).isEqualTo(capacity);
      Map<String, Long> model = new HashMap<>();
      int keys = capacity * 2 + 3;
      for (long offset = 0; offset < capacity * 6L; offset++) {
        String key = "key-" + random.nextInt(keys);
        boolean taken = map.put(key(key), offset);
        boolean fits = model.containsKey(key) || model.size() < capacity;
        assertThat(taken).as("offset %d of %s", offset, key).isEqualTo(fits);
        if (fits) {
          model.put(key, offset);
        }
        assertThat(map.isFull()).isEqualTo(model.size() == capacity);
      }
      assertThat(map.size()).isEqualTo(model.size());
      for (int k = 0; k < keys; k++) {
        String key = "key-" + k;
        assertThat(map.get(key(key))).as(key).isEqualTo(model.getOrDefault(key, -1L));
      }
      map.clear();
      assertThat(map.size()).isZero();
      assertThat(map.latestOffset()).isEqualTo(-1);
      assertThat(map.get(key("key-0"))).isEqualTo(-1);
    }
  }

  @Test
  void readsTheKeyWithoutMovingTheCallersBuffer() {
    OffsetMap map = new OffsetMap(1024);
    ByteBuffer key = key("position");
    map.put(key, 7);
    assertThat(key.remaining()).isEqualTo(8);
    assertThat(map.get(key)).isEqualTo(7);
    assertThat(map.latestOffset()).isEqualTo(7);
  }

  @Test
  void refusesAMapThatHoldsNoKey() {
    assertThatThrownBy(() -> new OffsetMap(47)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OffsetMap(48).put(key("k"), -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
