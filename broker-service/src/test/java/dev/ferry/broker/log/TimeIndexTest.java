package dev.ferry.broker.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeIndexTest {

  @TempDir Path dir;

  /**
   * Reference model: records with random timestamps; the index may only ever send a scan to a start
   * offset at or before the first record whose timestamp reaches the target.
   */
  @Test
  void lookupNeverSkipsTheFirstMatchingRecord() throws IOException {
    Random random = new Random(7);
    long[] timestamps = new long[3_000];
    try (TimeIndex index = TimeIndex.create(dir.resolve("a.timeindex"), 0)) {
      long max = -1;
      for (int offset = 0; offset < timestamps.length; offset++) {
        timestamps[offset] = 1_000 + offset * 10L + random.nextInt(200) - 100;
        max = Math.max(max, timestamps[offset]);
        if (random.nextInt(10) == 0) {
          index.maybeAppend(max, offset);
        }
      }
      for (int i = 0; i < 5_000; i++) {
        long target = 900 + random.nextInt(31_000);
        long firstMatch = -1;
        for (int offset = 0; offset < timestamps.length; offset++) {
          if (timestamps[offset] >= target) {
            firstMatch = offset;
            break;
          }
        }
        long start = index.lookupStartOffset(target);
        if (firstMatch >= 0) {
          assertThat(start).isLessThanOrEqualTo(firstMatch);
        }
      }
    }
  }

  @Test
  void keepsOnlyGrowingTimestampsAndSurvivesReload() throws IOException {
    Path path = dir.resolve("b.timeindex");
    try (TimeIndex index = TimeIndex.create(path, 100)) {
      index.maybeAppend(50, 105);
      index.maybeAppend(50, 110);
      index.maybeAppend(70, 120);
      index.flush();
      assertThat(index.entries()).isEqualTo(2);
    }
    try (TimeIndex loaded = TimeIndex.load(path, 100)) {
      assertThat(loaded.lastTimestamp()).isEqualTo(70);
      assertThat(loaded.lookupStartOffset(60)).isEqualTo(106);
      assertThat(loaded.lookupStartOffset(50)).isEqualTo(100);
      assertThat(loaded.lookupStartOffset(71)).isEqualTo(121);
    }
  }
}
