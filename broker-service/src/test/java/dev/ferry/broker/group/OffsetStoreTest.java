package dev.ferry.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.broker.group.GroupCommands.CommittedOffset;
import dev.ferry.broker.log.CleanupPolicy;
import dev.ferry.broker.log.FlushPolicy;
import dev.ferry.broker.log.LogConfig;
import dev.ferry.broker.log.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetStoreTest {

  private static final LogConfig CONFIG =
      new LogConfig(
          1 << 20,
          Long.MAX_VALUE,
          -1,
          -1,
          4096,
          1 << 20,
          FlushPolicy.PER_BATCH,
          CleanupPolicy.DELETE,
          LogConfig.DEFAULT_DELETE_RETENTION_MS);
  private static final TopicPartition T0 = new TopicPartition("t", 0);
  private static final TopicPartition T1 = new TopicPartition("t", 1);

  @TempDir Path dataDir;
  private final MutableClock clock = new MutableClock(5_000);

  private static Map<TopicPartition, CommittedOffset> at(TopicPartition partition, long offset) {
    return Map.of(partition, new CommittedOffset(offset, -1, "m" + offset, 5_000));
  }

  private void commitHistory() throws IOException {
    try (OffsetStore store = OffsetStore.open(dataDir, CONFIG, clock, false)) {
      for (long offset = 1; offset <= 20; offset++) {
        store.commit("a", at(T0, offset));
      }
      store.commit("a", at(T1, 7));
      store.commit("b", at(T0, 3));
    }
  }

  private void assertLatestValues(OffsetStore store) {
    assertThat(store.offsets("a").get(T0).offset()).isEqualTo(20);
    assertThat(store.offsets("a").get(T0).metadata()).isEqualTo("m20");
    assertThat(store.offsets("a").get(T1).offset()).isEqualTo(7);
    assertThat(store.offsets("b").get(T0).offset()).isEqualTo(3);
  }

  @Test
  void reopeningCompactsSupersededCommitsAndKeepsTheLatest() throws IOException {
    commitHistory();
    try (OffsetStore store = OffsetStore.open(dataDir, CONFIG, clock, false)) {
      assertThat(store.replayedRecords()).isEqualTo(3);
      assertLatestValues(store);
    }
    assertThat(dataDir.resolve("__consumer_offsets-0.old")).doesNotExist();
    assertThat(dataDir.resolve("__consumer_offsets-0.compacted")).doesNotExist();
  }

  @Test
  void aCompactionInterruptedBeforeTheSwapIsDiscarded() throws IOException {
    commitHistory();
    Path leftover = Files.createDirectories(dataDir.resolve("__consumer_offsets-0.compacted"));
    Files.write(leftover.resolve("00000000000000000000.log"), new byte[] {1, 2, 3});
    try (OffsetStore store = OffsetStore.open(dataDir, CONFIG, clock, true)) {
      assertLatestValues(store);
    }
    assertThat(leftover).doesNotExist();
  }

  @Test
  void aCompactionInterruptedBetweenTheRenamesIsFinished() throws IOException {
    commitHistory();
    // Compact once, then put the directories back in the state between the two renames.
    OffsetStore.open(dataDir, CONFIG, clock, false).close();
    Files.move(
        dataDir.resolve("__consumer_offsets-0"), dataDir.resolve("__consumer_offsets-0.compacted"));
    Files.createDirectories(dataDir.resolve("__consumer_offsets-0.old"));
    try (OffsetStore store = OffsetStore.open(dataDir, CONFIG, clock, false)) {
      assertLatestValues(store);
      assertThat(store.replayedRecords()).isEqualTo(3);
    }
    assertThat(dataDir.resolve("__consumer_offsets-0.old")).doesNotExist();
  }
}
